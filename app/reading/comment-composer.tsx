"use client";

import { Extension, type Editor } from "@tiptap/core";
import { EditorContent, useEditor, useEditorState } from "@tiptap/react";
import { Popover, Toolbar } from "radix-ui";
import {
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
  type FormEvent,
  type ReactNode,
} from "react";
import {
  COMMENT_BODY_MESSAGES,
  normalizeLinkInput,
  type CommentBody,
} from "@/lib/shared/comments/comment-body";
import { sanitizeCommentBody } from "@/lib/shared/comments/sanitize-comment-body";
import { tagHashWords } from "@/lib/shared/comments/hash-tags";
import { isAppError } from "@/lib/shared/errors";
import { COMMENT_EXTENSIONS } from "@/lib/client/editor/comment-extensions";
import { useComboboxAttributes } from "./inline-picker";
import { useMentionPicker } from "./mention-picker";
import { useTagPicker } from "./tag-picker";
import "./comments.css";

type Props = {
  /** Accessible name of the editable area ("Comment", "Reply to Ana"). */
  label: string;
  /** Shown while the editor is empty. */
  placeholder?: string;
  /** The body to start from, when editing. Read once, when the composer mounts. */
  initialBody?: CommentBody;
  /** Text of the submit button ("Comment", "Reply", "Save"). */
  submitLabel: string;
  /** A submission is in flight: submitting again is blocked; the text stays editable. */
  isPending?: boolean;
  /** The parent's error (from the server, say); the text is kept, change `key` to clear it. */
  error?: string | null;
  /** Put the cursor in the editor on mount. */
  autoFocus?: boolean;
  /** Called with the sanitized body and its plain text; the composer does not clear itself. */
  onSubmit: (body: CommentBody, text: string) => void;
  /** Called with the body as it stands after each change (not sanitized: to keep, not to send). */
  onBodyChange?: (body: CommentBody) => void;
  /** Shows a Cancel button when given. */
  onCancel?: () => void;
};

function subscribeToNothing() {
  return () => {};
}

/** True on Apple platforms, where "Mod" is ⌘; false on the server and elsewhere. */
function useIsApple(): boolean {
  return useSyncExternalStore(
    subscribeToNothing,
    () => /Mac|iPhone|iPad|iPod/.test(navigator.platform),
    () => false,
  );
}

/** A key chord as shown in a tooltip ("Ctrl+B", "⌘B") and as `aria-keyshortcuts` ("Control+B"). */
function chord(isApple: boolean, key: string, shift = false) {
  return {
    label: isApple ? `${shift ? "⇧" : ""}⌘${key}` : `Ctrl+${shift ? "Shift+" : ""}${key}`,
    aria: `${isApple ? "Meta" : "Control"}+${shift ? "Shift+" : ""}${key}`,
  };
}

/**
 * The margin's comment editor: Tiptap with the comment subset, a formatting
 * toolbar (Radix Toolbar; the link field is a Radix Popover), Submit and
 * Cancel. Mod-Enter submits, Mod-k edits the link. The body is checked with
 * `sanitizeCommentBody` before `onSubmit`, and its message shown if it fails.
 */
export function CommentComposer({
  label,
  placeholder,
  initialBody,
  submitLabel,
  isPending = false,
  error = null,
  autoFocus = false,
  onSubmit,
  onBodyChange,
  onCancel,
}: Props) {
  const [localError, setLocalError] = useState<string | null>(null);
  const [isLinkOpen, setLinkOpen] = useState(false);
  const [initialContent] = useState(() => initialBody);
  const errorId = useId();
  const isApple = useIsApple();
  const shownError = localError ?? error;

  // The editor's options are read when it is made; the callback it calls is the current one.
  const bodyChanged = useRef(onBodyChange);
  useEffect(() => {
    bodyChanged.current = onBodyChange;
  });

  // Keyboard shortcuts are registered once per editor; they call whatever is current.
  const handlers = useRef({
    submit: () => {},
    openLink: () => {},
    pickerKey: (_key: string): boolean => false,
  });
  const [extensions] = useState(() => [
    ...COMMENT_EXTENSIONS,
    Extension.create({
      name: "commentComposerKeys",
      // Above HardBreak's Mod-Enter (a line break), so Mod-Enter submits.
      priority: 1000,
      addKeyboardShortcuts() {
        // While the @mention or #tag list is open, these keys drive it (inline-picker.tsx).
        return {
          ArrowDown: () => handlers.current.pickerKey("ArrowDown"),
          ArrowUp: () => handlers.current.pickerKey("ArrowUp"),
          Enter: () => handlers.current.pickerKey("Enter"),
          Tab: () => handlers.current.pickerKey("Tab"),
          Escape: () => handlers.current.pickerKey("Escape"),
          "Mod-Enter": () => {
            handlers.current.submit();
            return true;
          },
          "Mod-k": () => {
            handlers.current.openLink();
            return true;
          },
        };
      },
    }),
  ]);

  const editorProps = useMemo(
    () => ({
      attributes: {
        class: "comment-composer-input",
        role: "textbox",
        "aria-multiline": "true",
        "aria-label": label,
        ...(placeholder ? { "aria-placeholder": placeholder } : {}),
        ...(shownError ? { "aria-invalid": "true", "aria-describedby": errorId } : {}),
      },
    }),
    [label, placeholder, shownError, errorId],
  );

  const editor = useEditor({
    immediatelyRender: false,
    // Its base CSS is in globals.css: the CSP refuses an injected <style>.
    injectCSS: false,
    extensions,
    content: initialContent,
    autofocus: autoFocus ? "end" : false,
    editorProps,
    onUpdate: ({ editor: current }) => {
      setLocalError(null);
      bodyChanged.current?.(current.getJSON() as CommentBody);
    },
  });

  const active = useEditorState({
    editor,
    selector: ({ editor: current }) =>
      current
        ? {
            isEmpty: current.isEmpty,
            isBold: current.isActive("bold"),
            isItalic: current.isActive("italic"),
            isLink: current.isActive("link"),
            isQuote: current.isActive("blockquote"),
            isBulletList: current.isActive("bulletList"),
            isOrderedList: current.isActive("orderedList"),
          }
        : null,
  });

  function submit() {
    if (!editor || isPending) return;
    try {
      // A #word left as text (typed last, or pasted) is a tag too (lib/shared/comments/hash-tags.ts).
      const typed = sanitizeCommentBody(editor.getJSON());
      const { body, text } = sanitizeCommentBody(tagHashWords(typed.body));
      setLocalError(null);
      onSubmit(body, text);
    } catch (caught) {
      if (!isAppError(caught)) throw caught;
      setLocalError(caught.message);
    }
  }

  const mentions = useMentionPicker(editor);
  const tags = useTagPicker(editor);
  useComboboxAttributes(editor, [mentions, tags]);

  useEffect(() => {
    handlers.current = {
      submit,
      openLink: () => setLinkOpen(true),
      pickerKey: (key) => mentions.onKey(key) || tags.onKey(key),
    };
  });

  const keys = {
    bold: chord(isApple, "B"),
    italic: chord(isApple, "I"),
    link: chord(isApple, "K"),
    quote: chord(isApple, "B", true),
    bulletList: chord(isApple, "8", true),
    orderedList: chord(isApple, "7", true),
    submit: chord(isApple, "Enter"),
  };
  const isReady = editor !== null;

  return (
    <div className="comment-composer" aria-busy={isPending || undefined}>
      <Toolbar.Root className="comment-toolbar" aria-label="Formatting">
        <ToolbarToggle
          label="Bold"
          shortcut={keys.bold}
          isPressed={active?.isBold}
          isDisabled={!isReady}
          onPress={() => editor?.chain().focus().toggleBold().run()}
        >
          <span className="comment-toolbar-glyph comment-toolbar-glyph-bold">B</span>
        </ToolbarToggle>
        <ToolbarToggle
          label="Italic"
          shortcut={keys.italic}
          isPressed={active?.isItalic}
          isDisabled={!isReady}
          onPress={() => editor?.chain().focus().toggleItalic().run()}
        >
          <span className="comment-toolbar-glyph comment-toolbar-glyph-italic">I</span>
        </ToolbarToggle>
        {editor && (
          <LinkControl
            editor={editor}
            isOpen={isLinkOpen}
            isActive={Boolean(active?.isLink)}
            shortcut={keys.link}
            onOpenChange={setLinkOpen}
          />
        )}
        <Toolbar.Separator className="comment-toolbar-separator" />
        <ToolbarToggle
          label="Quote"
          shortcut={keys.quote}
          isPressed={active?.isQuote}
          isDisabled={!isReady}
          onPress={() => editor?.chain().focus().toggleBlockquote().run()}
        >
          <QuoteIcon />
        </ToolbarToggle>
        <ToolbarToggle
          label="Bulleted list"
          shortcut={keys.bulletList}
          isPressed={active?.isBulletList}
          isDisabled={!isReady}
          onPress={() => editor?.chain().focus().toggleBulletList().run()}
        >
          <BulletListIcon />
        </ToolbarToggle>
        <ToolbarToggle
          label="Numbered list"
          shortcut={keys.orderedList}
          isPressed={active?.isOrderedList}
          isDisabled={!isReady}
          onPress={() => editor?.chain().focus().toggleOrderedList().run()}
        >
          <OrderedListIcon />
        </ToolbarToggle>
      </Toolbar.Root>

      <div className="comment-composer-field">
        <EditorContent editor={editor} className="comment-composer-content" />
        {mentions.listbox}
        {tags.listbox}
        {placeholder && (active?.isEmpty ?? !initialContent) && (
          <div className="comment-composer-placeholder" aria-hidden="true">
            {placeholder}
          </div>
        )}
      </div>

      {shownError && (
        <p className="comment-composer-error" role="alert" id={errorId}>
          {shownError}
        </p>
      )}

      <div className="comment-composer-actions">
        {onCancel && (
          <button type="button" className="button button-small" onClick={onCancel}>
            Cancel
          </button>
        )}
        <button
          type="button"
          className="button button-small button-primary"
          disabled={isPending || !isReady}
          aria-keyshortcuts={keys.submit.aria}
          title={`${submitLabel} (${keys.submit.label})`}
          onClick={submit}
        >
          {submitLabel}
        </button>
      </div>
    </div>
  );
}

/** A formatting button that shows whether its format is on. */
function ToolbarToggle({
  label,
  shortcut,
  isPressed,
  isDisabled,
  onPress,
  children,
}: {
  label: string;
  shortcut: { label: string; aria: string };
  isPressed: boolean | undefined;
  isDisabled: boolean;
  onPress: () => void;
  children: ReactNode;
}) {
  return (
    <Toolbar.Button
      type="button"
      className="comment-toolbar-button"
      aria-label={label}
      aria-pressed={Boolean(isPressed)}
      aria-keyshortcuts={shortcut.aria}
      title={`${label} (${shortcut.label})`}
      disabled={isDisabled}
      onClick={onPress}
    >
      {children}
    </Toolbar.Button>
  );
}

/** The Link button and its popover with the address field. */
function LinkControl({
  editor,
  isOpen,
  isActive,
  shortcut,
  onOpenChange,
}: {
  editor: Editor;
  isOpen: boolean;
  isActive: boolean;
  shortcut: { label: string; aria: string };
  onOpenChange: (isOpen: boolean) => void;
}) {
  return (
    <Popover.Root open={isOpen} onOpenChange={onOpenChange}>
      <Popover.Trigger asChild>
        <Toolbar.Button
          type="button"
          className="comment-toolbar-button"
          aria-label="Link"
          aria-keyshortcuts={shortcut.aria}
          title={`Link (${shortcut.label})`}
          data-active={isActive ? "true" : undefined}
        >
          <LinkIcon />
        </Toolbar.Button>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          className="comment-link-popover"
          aria-label="Link"
          side="bottom"
          align="start"
          sideOffset={6}
          collisionPadding={8}
          onCloseAutoFocus={(event) => {
            // Back to the text, where the link is, rather than to the toolbar.
            event.preventDefault();
            editor.commands.focus();
          }}
        >
          <LinkForm editor={editor} isActive={isActive} onDone={() => onOpenChange(false)} />
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}

/** The address field; mounted each time the popover opens, so it starts from the current link. */
function LinkForm({ editor, isActive, onDone }: { editor: Editor; isActive: boolean; onDone: () => void }) {
  const [value, setValue] = useState(() => String(editor.getAttributes("link").href ?? ""));
  const [error, setError] = useState<string | null>(null);
  const inputId = useId();
  const errorId = useId();

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // React events bubble through portals: keep this submit from reaching a form around the composer.
    event.stopPropagation();
    const href = normalizeLinkInput(value);
    if (href === null) {
      setError(COMMENT_BODY_MESSAGES.linkProtocol);
      return;
    }
    if (editor.state.selection.empty && !editor.isActive("link")) {
      // Nothing selected: insert the address itself as the link's text, and stop the link there.
      editor
        .chain()
        .focus()
        .insertContent({
          type: "text",
          text: value.trim().replace(/^mailto:/i, ""),
          marks: [{ type: "link", attrs: { href } }],
        })
        .unsetMark("link")
        .run();
    } else {
      editor.chain().focus().extendMarkRange("link").setLink({ href }).run();
    }
    onDone();
  }

  function remove() {
    editor.chain().focus().extendMarkRange("link").unsetLink().run();
    onDone();
  }

  return (
    <form className="comment-link-form" noValidate onSubmit={apply}>
      <label className="comment-link-label" htmlFor={inputId}>
        Link address
      </label>
      <input
        id={inputId}
        className="comment-link-input"
        type="url"
        inputMode="url"
        autoComplete="off"
        spellCheck={false}
        placeholder="https://…"
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        onChange={(event) => {
          setValue(event.target.value);
          setError(null);
        }}
      />
      {error && (
        <p className="comment-link-error" role="alert" id={errorId}>
          {error}
        </p>
      )}
      <div className="comment-link-actions">
        {isActive && (
          <button type="button" className="button-link" onClick={remove}>
            Remove link
          </button>
        )}
        <button type="submit" className="button button-small button-primary">
          Apply
        </button>
      </div>
    </form>
  );
}

function Icon({ children }: { children: ReactNode }) {
  return (
    <svg
      className="comment-toolbar-icon"
      viewBox="0 0 16 16"
      width="16"
      height="16"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {children}
    </svg>
  );
}

function LinkIcon() {
  return (
    <Icon>
      <path d="M6.5 9.5l3-3" />
      <path d="M7 4.5l1-1a2.5 2.5 0 013.5 3.5l-1 1" />
      <path d="M9 11.5l-1 1a2.5 2.5 0 01-3.5-3.5l1-1" />
    </Icon>
  );
}

function QuoteIcon() {
  return (
    <Icon>
      <path d="M3 3.5v9" />
      <path d="M6 5.5h7M6 8h7M6 10.5h4.5" />
    </Icon>
  );
}

function BulletListIcon() {
  return (
    <Icon>
      <circle cx="3" cy="4.5" r="0.6" fill="currentColor" />
      <circle cx="3" cy="8" r="0.6" fill="currentColor" />
      <circle cx="3" cy="11.5" r="0.6" fill="currentColor" />
      <path d="M6 4.5h7.5M6 8h7.5M6 11.5h7.5" />
    </Icon>
  );
}

function OrderedListIcon() {
  return (
    <Icon>
      <path d="M2.5 3.5h1v3M2.5 6.5h2" strokeWidth="1.1" />
      <path d="M2.5 9.5h1.7l-1.7 2.5h1.9" strokeWidth="1.1" />
      <path d="M7 4.5h6.5M7 8h6.5M7 11.5h6.5" />
    </Icon>
  );
}
