import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { t } from '../i18n.js';

interface ReorderableListProps<T> {
  items: T[];
  /** Distinguishes this list's drags from another list's on the same screen. */
  listId: string;
  /** Accessible name of the list (say how the keyboard moves items). */
  label: string;
  /** A stable key per item, also used in the ids `{listId}-row-{key}`, `{listId}-up-{key}`, `{listId}-down-{key}`. */
  keyOf: (item: T) => string | number;
  /** How an item is named in button labels and announcements. */
  nameOf: (item: T) => string;
  onMove: (from: number, to: number) => void;
  children: (item: T, index: number) => ComponentChildren;
  class?: string;
}

/**
 * An ordered list editors rearrange with the pointer (drag a row onto another), the
 * keyboard (Alt+Up/Alt+Down on a focused row, focus follows the row) or the ↑/↓ buttons.
 */
export function ReorderableList<T>({ items, listId, label, keyOf, nameOf, onMove, children, class: className }: ReorderableListProps<T>) {
  const [dragging, setDragging] = useState<number | null>(null);
  const type = `application/x-dateline-${listId}`;
  const move = (from: number, to: number, focus?: 'row' | 'up' | 'down') => {
    if (to < 0 || to >= items.length || from === to) return;
    const key = keyOf(items[from]!);
    onMove(from, to);
    if (focus) requestAnimationFrame(() => document.getElementById(`${listId}-${focus}-${key}`)?.focus());
  };
  return (
    <ol class={`front-list ${className ?? ''}`} aria-label={label}>
      {items.map((item, i) => {
        const key = keyOf(item);
        const name = nameOf(item);
        return (
          <li
            key={key}
            id={`${listId}-row-${key}`}
            tabIndex={0}
            draggable
            class={dragging === i ? 'dragging' : undefined}
            aria-label={t('common.position', { position: i + 1, name })}
            onKeyDown={(e) => {
              if (e.target !== e.currentTarget || !e.altKey || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return;
              e.preventDefault();
              move(i, e.key === 'ArrowUp' ? i - 1 : i + 1, 'row');
            }}
            onDragStart={(e) => {
              e.stopPropagation();
              setDragging(i);
              e.dataTransfer?.setData(type, String(i));
            }}
            onDragEnd={() => setDragging(null)}
            onDragOver={(e) => {
              if (e.dataTransfer?.types.includes(type)) e.preventDefault();
            }}
            onDrop={(e) => {
              const raw = e.dataTransfer?.getData(type);
              if (!raw) return;
              e.preventDefault();
              e.stopPropagation();
              setDragging(null);
              const from = Number(raw);
              if (Number.isInteger(from)) move(from, i);
            }}
          >
            <span class="drag-handle" aria-hidden="true">⠿</span>
            {children(item, i)}
            <button type="button" id={`${listId}-up-${key}`} aria-label={t('common.moveUp', { name })} disabled={i === 0} onClick={() => move(i, i - 1, 'up')}>↑</button>
            <button type="button" id={`${listId}-down-${key}`} aria-label={t('common.moveDown', { name })} disabled={i === items.length - 1} onClick={() => move(i, i + 1, 'down')}>↓</button>
          </li>
        );
      })}
    </ol>
  );
}

/** `items` with the one at `from` moved to `to`. */
export function moved<T>(items: readonly T[], from: number, to: number): T[] {
  const next = items.slice();
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item!);
  return next;
}
