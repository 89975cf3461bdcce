"use client";

import { Dialog } from "radix-ui";
import { useState } from "react";
import type { ProjectedCategory } from "@/lib/shared/annotations/types";
import { READING_SHORTCUTS } from "@/lib/client/editor/reading-commands";
import { ApiError } from "@/lib/client/api";
import { categoriesApi } from "@/lib/client/annotations/api";

/** The keyboard shortcuts of the reading page. */
export function ShortcutsDialog() {
  return (
    <Dialog.Root>
      <Dialog.Trigger className="button-link">Keyboard shortcuts</Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog">
          <Dialog.Title className="dialog-title">Keyboard shortcuts</Dialog.Title>
          <Dialog.Description className="dialog-description">
            Move the caret in the text with the arrow keys (Shift to select), then:
          </Dialog.Description>
          <dl className="shortcuts">
            {READING_SHORTCUTS.map((shortcut) => (
              <div key={shortcut.keys} className="shortcut">
                <dt>
                  <kbd>{shortcut.keys}</kbd>
                </dt>
                <dd>{shortcut.label}</dd>
              </div>
            ))}
          </dl>
          <Dialog.Close className="button button-small">Close</Dialog.Close>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

/** Instructors rename, recolour, add and remove the seminar's highlight categories. */
export function CategoriesDialog({
  seminarId,
  categories,
}: {
  seminarId: string;
  categories: ProjectedCategory[];
}) {
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [color, setColor] = useState("#c9b6f2");
  const run = (action: Promise<unknown>) => {
    setError(null);
    action.catch((failure: unknown) =>
      setError(failure instanceof ApiError ? failure.message : "That did not work."),
    );
  };
  return (
    <Dialog.Root>
      <Dialog.Trigger className="button-link">Edit categories</Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog">
          <Dialog.Title className="dialog-title">Highlight categories</Dialog.Title>
          <Dialog.Description className="dialog-description">
            Changes reach everyone in the seminar at once.
          </Dialog.Description>
          <ul className="category-editor">
            {categories.map((category) => (
              <li key={category.id}>
                <input
                  type="color"
                  aria-label={`Colour of ${category.name}`}
                  defaultValue={category.color}
                  onBlur={(event) => {
                    if (event.target.value !== category.color)
                      run(categoriesApi.update(seminarId, category.id, { color: event.target.value }));
                  }}
                />
                <input
                  aria-label={`Name of ${category.name}`}
                  defaultValue={category.name}
                  maxLength={40}
                  onBlur={(event) => {
                    const value = event.target.value.trim();
                    if (value && value !== category.name)
                      run(categoriesApi.update(seminarId, category.id, { name: value }));
                  }}
                />
                <button
                  type="button"
                  className="button-link button-link-danger"
                  aria-label={`Remove ${category.name}`}
                  onClick={() => run(categoriesApi.remove(seminarId, category.id))}
                >
                  Remove
                </button>
              </li>
            ))}
          </ul>
          <form
            className="category-add"
            onSubmit={(event) => {
              event.preventDefault();
              run(categoriesApi.create(seminarId, { name, color }).then(() => setName("")));
            }}
          >
            <input
              type="color"
              aria-label="Colour of the new category"
              value={color}
              onChange={(event) => setColor(event.target.value)}
            />
            <input
              aria-label="Name of the new category"
              placeholder="New category"
              value={name}
              maxLength={40}
              onChange={(event) => setName(event.target.value)}
            />
            <button type="submit" className="button button-small">
              Add
            </button>
          </form>
          <p className="form-error" role="alert">
            {error}
          </p>
          <Dialog.Close className="button button-small">Done</Dialog.Close>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
