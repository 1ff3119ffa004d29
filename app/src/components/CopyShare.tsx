"use client";
import { useEffect, useState } from "react";
import { Button, ui } from "@/components/ui";

/** Copy to the clipboard, and Share through the system sheet where the browser offers it (phones). */
export function CopyShare({ text, what, title }: { text: string; what: string; title?: string }) {
  const [copied, setCopied] = useState(false);
  const [canShare, setCanShare] = useState(false);
  useEffect(() => setCanShare(typeof navigator.share === "function"), []);
  const copy = async () => {
    await navigator.clipboard.writeText(text);
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  return (
    <div className={ui.actions}>
      <Button variant="secondary" onClick={copy} aria-label={`Copy the ${what}`}>
        {copied ? "Copied" : "Copy"}
      </Button>
      {canShare && (
        <Button
          variant="secondary"
          onClick={() => navigator.share({ title: title ?? "Custos", text }).catch(() => undefined)}
          aria-label={`Share the ${what}`}
        >
          Share
        </Button>
      )}
      <span className={ui.srOnly} role="status">
        {copied ? `The ${what} was copied.` : ""}
      </span>
    </div>
  );
}
