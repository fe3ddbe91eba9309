import { useRef, useState } from "react";

/**
 * A command in a code block with a Copy button. Uses the clipboard API; where the browser refuses (no
 * permission, plain http), the text is selected instead so Ctrl+C copies it.
 */
export function CopyCommand({ command, label }: { command: string; label: string }) {
  const code = useRef<HTMLElement>(null);
  const [state, setState] = useState<"idle" | "copied" | "selected">("idle");

  async function copy() {
    try {
      await navigator.clipboard.writeText(command);
      setState("copied");
    } catch {
      const el = code.current;
      if (el) {
        const range = document.createRange();
        range.selectNodeContents(el);
        const selection = window.getSelection();
        selection?.removeAllRanges();
        selection?.addRange(range);
      }
      setState("selected");
    }
  }

  return (
    <div>
      <code ref={code} className="command" aria-label={label} tabIndex={0}>
        {command}
      </code>
      <div className="copy-row">
        <button type="button" onClick={() => void copy()}>
          Copy
        </button>
        <span role="status" className={state === "copied" ? "copied" : undefined}>
          {state === "copied" ? "Copied" : state === "selected" ? "Your browser did not allow copying: the command is selected, press Ctrl+C (⌘C)." : ""}
        </span>
      </div>
    </div>
  );
}
