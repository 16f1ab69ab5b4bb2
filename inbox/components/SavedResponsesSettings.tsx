// Settings › Saved responses: write, edit and delete the replies agents drop into the reply box.
// Categories are free text with the existing ones suggested, so typing a new name creates one.
import { useEffect, useRef, useState } from 'preact/hooks';
import { MAX_MESSAGE_LENGTH, MAX_SAVED_RESPONSE_CATEGORY_LENGTH, MAX_SAVED_RESPONSE_TITLE_LENGTH } from '../../shared/limits';
import type { SavedResponse } from '../../shared/protocol';
import { api, describeError, type SavedResponseInput } from '../api/client';
import { FormError, FormField, TextareaField } from './FormField';
import { unknownTagError } from './tagCheck';
import { TagHint, tagInto } from './TagHint';
import { useFocusAfterRender } from '../state/useFocusAfterRender';
import { useResource } from '../state/useResource';
import { useSubmit } from '../state/useSubmit';

const EMPTY_FORM: SavedResponseInput = { title: '', category: '', body: '' };

interface ItemProps {
  r: SavedResponse;
  confirming: boolean;
  onEdit: () => void;
  /** First click asks, the second (on "Confirm delete") deletes. */
  onDelete: () => void;
  onCancelDelete: () => void;
}

/** A response's Edit button: the focus moves to a neighbour's once a response is deleted. */
const editButtonId = (id: number): string => `saved-edit-${id}`;

function Item({ r, confirming, onEdit, onDelete, onCancelDelete }: ItemProps) {
  const titleId = `saved-item-${r.id}`;
  return (
    <li class="saved-item">
      <div class="saved-item-text">
        <div class="saved-item-top">
          <strong id={titleId}>{r.title}</strong>
          <span class="chip">{r.category}</span>
        </div>
        <p class="saved-item-body">{r.body}</p>
      </div>
      <div class="item-actions">
        <button type="button" class="secondary small" id={editButtonId(r.id)} aria-describedby={titleId} onClick={onEdit}>
          Edit
        </button>
        <button
          type="button"
          class={`${confirming ? 'danger' : 'secondary'} small`}
          aria-describedby={titleId}
          onClick={onDelete}
          onBlur={onCancelDelete}
        >
          {confirming ? 'Confirm delete' : 'Delete'}
        </button>
      </div>
    </li>
  );
}

export function SavedResponsesSettings({ endedSession }: { endedSession: (err: unknown) => boolean }) {
  const saved = useResource(api.savedResponses, endedSession);
  const [form, setForm] = useState<SavedResponseInput>(EMPTY_FORM);
  const [editing, setEditing] = useState<number | null>(null);
  const [confirming, setConfirming] = useState<number | null>(null);
  const [tagError, setTagError] = useState<string | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const { busy, error, run } = useSubmit();
  const titleBox = useRef<HTMLInputElement>(null);
  const bodyBox = useRef<HTMLTextAreaElement>(null);
  /** Where the caret goes once an inserted tag is rendered in the body. */
  const bodyCaret = useRef<number | null>(null);
  useEffect(() => {
    const at = bodyCaret.current;
    if (at === null) return;
    bodyCaret.current = null;
    bodyBox.current?.focus();
    bodyBox.current?.setSelectionRange(at, at);
  }, [form.body]);
  const focusAfterRender = useFocusAfterRender();
  const formError = tagError ?? error;

  const reset = () => {
    setForm(EMPTY_FORM);
    setEditing(null);
    setTagError(null);
  };

  const save = async () => {
    const badTags = unknownTagError(form.body);
    setTagError(badTags);
    if (badTags) return;
    await run(async () => {
      const input = { title: form.title.trim(), category: form.category.trim(), body: form.body.trim() };
      try {
        await (editing === null ? api.createSavedResponse(input) : api.updateSavedResponse(editing, input));
      } catch (err) {
        endedSession(err);
        throw err;
      }
      reset();
      await saved.reload();
    });
  };

  const edit = (r: SavedResponse) => {
    setEditing(r.id);
    setForm({ title: r.title, category: r.category, body: r.body });
    setConfirming(null);
    setTagError(null);
    titleBox.current?.focus();
  };

  const remove = async (id: number) => {
    setConfirming(null);
    setListError(null);
    // The deleted response's buttons go with it: the focus moves to the next one's, else the form.
    const list = saved.data?.savedResponses ?? [];
    const at = list.findIndex((r) => r.id === id);
    const neighbour = list[at + 1] ?? list[at - 1];
    const from = document.activeElement;
    try {
      await api.deleteSavedResponse(id);
      if (editing === id) reset();
      await saved.reload();
      focusAfterRender(() => (neighbour && document.getElementById(editButtonId(neighbour.id))) || titleBox.current, from);
    } catch (err) {
      if (!endedSession(err)) setListError(`Could not delete it: ${describeError(err)}`);
    }
  };

  const items = saved.data?.savedResponses;
  return (
    <section class="settings-section" aria-labelledby="saved-responses-title">
      <h2 id="saved-responses-title">Saved responses</h2>
      <p class="section-intro">
        Replies every agent can insert with the “Saved responses” button under the reply box, or by typing / in an
        empty reply.
      </p>
      <form
        class="card settings-form"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <h3>{editing === null ? 'New response' : 'Edit response'}</h3>
        <FormError message={formError} />
        <div class="field-row">
          <FormField
            id="saved-title"
            label="Title"
            ref={titleBox}
            required
            maxLength={MAX_SAVED_RESPONSE_TITLE_LENGTH}
            value={form.title}
            onInput={(e) => setForm({ ...form, title: e.currentTarget.value })}
          />
          <FormField
            id="saved-category"
            label="Category"
            list="saved-categories"
            autocomplete="off"
            required
            maxLength={MAX_SAVED_RESPONSE_CATEGORY_LENGTH}
            placeholder="Pick one or type a new one"
            value={form.category}
            onInput={(e) => setForm({ ...form, category: e.currentTarget.value })}
            after={
              <datalist id="saved-categories">
                {saved.data?.categories.map((c) => <option key={c} value={c} />)}
              </datalist>
            }
          />
        </div>
        <TextareaField
          id="saved-body"
          label="Body"
          rows={4}
          required
          maxLength={MAX_MESSAGE_LENGTH}
          aria-describedby="saved-body-tags"
          value={form.body}
          onInput={(e) => {
            setForm({ ...form, body: e.currentTarget.value });
            setTagError(null);
          }}
          ref={bodyBox}
          after={
            <TagHint
              id="saved-body-tags"
              onInsert={(tag) => {
                const next = tagInto(bodyBox.current, form.body, tag);
                setForm({ ...form, body: next.text });
                setTagError(null);
                bodyCaret.current = next.caret;
              }}
            />
          }
        />
        <div class="form-actions">
          {editing !== null && (
            <button type="button" class="secondary" onClick={reset}>
              Cancel
            </button>
          )}
          <button type="submit" class="primary" aria-disabled={busy} aria-busy={busy}>
            {editing === null ? 'Save response' : 'Update response'}
          </button>
        </div>
      </form>
      {saved.error && (
        <div class="inline-alert" role="alert">
          <span>{saved.error}</span>
          <button type="button" class="link-button" onClick={() => void saved.reload()}>
            Try again
          </button>
        </div>
      )}
      {listError && (
        <p class="inline-alert" role="alert">
          {listError}
        </p>
      )}
      {!items && !saved.error && <p class="settings-note">Loading saved responses…</p>}
      {items?.length === 0 && <p class="settings-note">No saved responses yet. Write the first one above.</p>}
      {items && items.length > 0 && (
        <ul class="card saved-list" aria-labelledby="saved-responses-title">
          {items.map((r) => (
            <Item
              key={r.id}
              r={r}
              confirming={confirming === r.id}
              onEdit={() => edit(r)}
              onDelete={() => (confirming === r.id ? void remove(r.id) : setConfirming(r.id))}
              onCancelDelete={() => setConfirming((c) => (c === r.id ? null : c))}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
