// KV: browse a keyspace by prefix a page at a time (next/previous), view a value as JSON, text or
// hex, and in write mode edit or delete it.
import { useState } from 'preact/hooks';
import { api, errorInfo, query, type ErrorInfo } from '../api.js';
import { ErrorBox, formText, ValueViewer } from '../components.js';
import type { KvPut } from '../forms.js';
import { useLoad } from '../hooks.js';
import type { KvPage as Page, ValueView } from '../types.js';

const PAGE_SIZE = 20;

export function KvPage({ write }: { readonly write: boolean }) {
  const [namespace, setNamespace] = useState('');
  const [prefix, setPrefix] = useState('');
  // The cursors of the pages before this one: "previous" pops, "next" pushes.
  const [cursors, setCursors] = useState<readonly (string | undefined)[]>([]);
  const [after, setAfter] = useState<string | undefined>(undefined);
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const page = useLoad(() => api<Page>(`/kv${query({ namespace, prefix, after, limit: PAGE_SIZE })}`), [namespace, prefix, after]);

  const restart = () => {
    setCursors([]);
    setAfter(undefined);
    setSelected(undefined);
  };
  return (
    <section>
      <h1>Key-value</h1>
      <form
        class="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          const data = new FormData(e.currentTarget);
          setNamespace(formText(data, 'namespace'));
          setPrefix(formText(data, 'prefix'));
          restart();
        }}
      >
        <label>
          namespace <input name="namespace" placeholder="(the database's own)" defaultValue={namespace} />
        </label>
        <label>
          prefix <input name="prefix" placeholder="user/" defaultValue={prefix} />
        </label>
        <button type="submit">Browse</button>
      </form>
      <ErrorBox error={page.error} />
      <div class="split">
        <div>
          <table class="grid" data-testid="kv-keys">
            <thead>
              <tr>
                <th>key</th>
                <th>value</th>
              </tr>
            </thead>
            <tbody>
              {(page.data?.entries ?? []).map((e) => (
                <tr key={e.key} class={e.key === selected ? 'selected clickable' : 'clickable'} onClick={() => setSelected(e.key)}>
                  <td class="mono">{e.key}</td>
                  <td class="mono clip">{e.value.text ?? `0x${e.value.hex}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {page.data?.entries.length === 0 ? <p class="muted">No keys.</p> : null}
          <div class="pager">
            <button
              type="button"
              disabled={cursors.length === 0}
              onClick={() => {
                setAfter(cursors.at(-1));
                setCursors(cursors.slice(0, -1));
              }}
            >
              ← Previous
            </button>
            <span class="muted" data-testid="kv-page">
              page {cursors.length + 1}
            </span>
            <button
              type="button"
              disabled={page.data?.next == null}
              onClick={() => {
                setCursors([...cursors, after]);
                setAfter(page.data?.next ?? undefined);
              }}
            >
              Next →
            </button>
          </div>
        </div>
        <div>
          {selected === undefined ? (
            <p class="muted">Select a key to see its value.</p>
          ) : (
            <KvValue
              namespace={namespace}
              keyName={selected}
              write={write}
              onChanged={(deleted) => {
                if (deleted) setSelected(undefined);
                page.reload();
              }}
            />
          )}
        </div>
      </div>
    </section>
  );
}

type EditAs = 'text' | 'json' | 'hex';

function KvValue(props: { readonly namespace: string; readonly keyName: string; readonly write: boolean; readonly onChanged: (deleted: boolean) => void }) {
  const { namespace, keyName, write, onChanged } = props;
  const value = useLoad(() => api<{ key: string; value: ValueView }>(`/kv/value${query({ namespace, key: keyName })}`), [namespace, keyName]);
  const [editing, setEditing] = useState<{ as: EditAs; text: string } | undefined>(undefined);
  const [failure, setFailure] = useState<ErrorInfo | undefined>(undefined);

  const save = async () => {
    if (editing === undefined) return;
    try {
      let body: KvPut;
      if (editing.as === 'json') body = { namespace, key: keyName, json: JSON.parse(editing.text) as unknown };
      else if (editing.as === 'hex') body = { namespace, key: keyName, hex: editing.text.replace(/\s+/g, '') };
      else body = { namespace, key: keyName, text: editing.text };
      await api('/kv', { method: 'PUT', body });
      setEditing(undefined);
      setFailure(undefined);
      value.reload();
      onChanged(false);
    } catch (error) {
      setFailure(errorInfo(error));
    }
  };
  const remove = async () => {
    if (!confirm(`Delete ${keyName}?`)) return;
    try {
      await api(`/kv${query({ namespace, key: keyName })}`, { method: 'DELETE' });
      onChanged(true);
    } catch (error) {
      setFailure(errorInfo(error));
    }
  };
  const v = value.data?.value;
  return (
    <div class="panel">
      <h2 class="mono">{keyName}</h2>
      <ErrorBox error={value.error ?? failure} />
      {v === undefined ? null : editing === undefined ? (
        <>
          <ValueViewer key={v.hex} value={v} />
          {write ? (
            <div class="toolbar">
              <button
                type="button"
                onClick={() =>
                  setEditing(
                    v.json !== undefined
                      ? { as: 'json', text: JSON.stringify(v.json, null, 2) }
                      : v.text !== undefined
                        ? { as: 'text', text: v.text }
                        : { as: 'hex', text: v.hex },
                  )
                }
              >
                Edit
              </button>
              <button type="button" class="danger" onClick={() => void remove()}>
                Delete
              </button>
            </div>
          ) : (
            <p class="muted">Read-only: start the studio with --write to edit.</p>
          )}
        </>
      ) : (
        <div>
          <div class="toolbar">
            <label>
              store as{' '}
              <select value={editing.as} onChange={(e) => setEditing({ ...editing, as: e.currentTarget.value as EditAs })}>
                <option value="json">JSON</option>
                <option value="text">text</option>
                <option value="hex">hex</option>
              </select>
            </label>
          </div>
          <textarea class="editor" rows={10} value={editing.text} onInput={(e) => setEditing({ ...editing, text: e.currentTarget.value })} />
          <div class="toolbar">
            <button type="button" onClick={() => void save()}>
              Save
            </button>
            <button type="button" onClick={() => setEditing(undefined)}>
              Cancel
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
