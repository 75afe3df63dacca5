import type { LegacyRelatedRef } from '../../domain/import-draft.js';

/**
 * The old site leaked PHP debug output into pages: `var_dump` strings
 * (`string(683) "[…]"`, where 683 is the length in bytes), arrays, scalars and PHP
 * notices. This finds them, reads the related list out of the dumped JSON, and
 * returns the text without any of it.
 */
export interface DebugScan {
  text: string;
  related: LegacyRelatedRef[];
  removed: string[];
}

const NOTICE = /^\s*(?:<b>)?(?:PHP )?(?:Notice|Warning|Deprecated|Strict Standards|Fatal error|Parse error|Catchable fatal error)(?:<\/b>)?:.*$/gim;
const SCALAR = /^\s*(?:int\(-?\d+\)|float\(-?[\d.eE+-]+\)|bool\((?:true|false)\)|NULL)\s*$/gm;
const ARRAY_DUMP = /^\s*(?:array|object\([\w\\]+\)#\d+ )\(\d+\) \{[\s\S]*?^\s*\}\s*$/gm;

export function stripDebugOutput(input: string): DebugScan {
  const removed: string[] = [];
  const related: LegacyRelatedRef[] = [];
  const bytes = Buffer.from(input, 'utf8');
  const out: Buffer[] = [];
  let pos = 0;
  const marker = /string\((\d+)\) "/g;
  const text = input;
  // Byte offsets: the dump's length counts UTF-8 bytes, so cut on the byte buffer.
  let m: RegExpExecArray | null;
  while ((m = marker.exec(text))) {
    const startByte = Buffer.byteLength(text.slice(0, m.index), 'utf8');
    if (startByte < pos) continue;
    const length = Number(m[1]);
    const valueStart = startByte + Buffer.byteLength(m[0], 'utf8');
    let valueEnd = valueStart + length;
    if (bytes[valueEnd] !== 0x22 /* " */) {
      // Length does not match (a re-encoded page): the dump ends at the last quote before the next blank line.
      const rest = bytes.subarray(valueStart).toString('utf8');
      const block = rest.split(/\n\s*\n/, 1)[0]!;
      const close = block.lastIndexOf('"');
      if (close < 0) continue;
      valueEnd = valueStart + Buffer.byteLength(block.slice(0, close), 'utf8');
    }
    const value = bytes.subarray(valueStart, valueEnd).toString('utf8');
    out.push(bytes.subarray(pos, startByte));
    pos = valueEnd + 1;
    const items = relatedFromJson(value);
    if (items) {
      related.push(...items);
      removed.push(`removed a leaked debug dump (string(${length})) and kept its ${items.length} related items`);
    } else {
      removed.push(`removed a leaked debug dump (string(${length}))`);
    }
    marker.lastIndex = m.index + m[0].length + value.length;
  }
  out.push(bytes.subarray(pos));
  let cleaned = Buffer.concat(out).toString('utf8');
  for (const [pattern, what] of [
    [ARRAY_DUMP, 'a leaked array dump'],
    [NOTICE, 'a leaked PHP notice'],
    [SCALAR, 'a leaked debug value'],
  ] as const) {
    cleaned = cleaned.replace(pattern, (found) => {
      removed.push(`removed ${what}: "${found.trim().slice(0, 60)}${found.trim().length > 60 ? '…' : ''}"`);
      return '';
    });
  }
  return { text: cleaned, related, removed };
}

/** The legacy related JSON (`[{"id","sort","contenttypeid","pic","title"}]`), or null when it is something else. */
export function relatedFromJson(value: string): LegacyRelatedRef[] | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return null;
  }
  if (!Array.isArray(parsed)) return null;
  const items: LegacyRelatedRef[] = [];
  for (const raw of parsed) {
    if (!raw || typeof raw !== 'object') return null;
    const r = raw as Record<string, unknown>;
    const id = Number(r.id);
    const sort = Number(r.sort);
    if (!Number.isSafeInteger(id) || id <= 0 || !Number.isSafeInteger(sort) || sort < 0) return null;
    items.push({
      id,
      sort,
      contentTypeId: Number.isSafeInteger(Number(r.contenttypeid)) && Number(r.contenttypeid) > 0 ? Number(r.contenttypeid) : 21,
      pic: typeof r.pic === 'string' ? r.pic : '',
      title: typeof r.title === 'string' ? r.title : '',
    });
  }
  return items;
}
