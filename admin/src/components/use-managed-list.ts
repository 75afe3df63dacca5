import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage } from '../api.js';

/**
 * A management screen's list (sections, content types, wire sources): loaded from `url`
 * on mount, and `run` for a change — it clears the messages, shows the notice the change
 * returns or its error, and reloads the list.
 */
export function useManagedList<T>(url: string) {
  const [items, setItems] = useState<T[]>([]);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const load = () => api.get<{ items: T[] }>(url).then((r) => setItems(r.items), (err: unknown) => setError(errorMessage(err)));
  useEffect(() => void load(), [url]);
  const run = async (work: () => Promise<string>) => {
    setError('');
    setNotice('');
    try {
      setNotice(await work());
      await load();
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  return { items, error, notice, run };
}
