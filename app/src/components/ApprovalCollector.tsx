"use client";
import { useState } from "react";
import QRCode from "qrcode";
import { useEffect } from "react";
import { errorMessage } from "@/lib/errors";
import { GuardianLabel } from "./GuardianLabel";

/** Shows the guardian link (with QR), the k/needed progress, and a box to paste a signature by hand. */
export function ApprovalCollector({
  link,
  requestJson,
  count,
  needed,
  serverError,
  onPaste,
  signers,
}: {
  link?: string;
  requestJson?: string;
  count: number;
  needed: number;
  serverError: string;
  onPaste: (text: string) => Promise<void>;
  signers: string[];
}) {
  const [svg, setSvg] = useState("");
  const [pasted, setPasted] = useState("");
  const [pasteError, setPasteError] = useState("");
  useEffect(() => {
    if (link) QRCode.toString(link, { type: "svg", margin: 1 }).then(setSvg, () => setSvg(""));
  }, [link]);
  const paste = async () => {
    setPasteError("");
    try {
      await onPaste(pasted);
      setPasted("");
    } catch (error) {
      setPasteError(errorMessage(error));
    }
  };
  return (
    <div>
      <p className="big" aria-live="polite" data-testid="approval-count">
        {count} / {needed} approvals
      </p>
      {signers.length > 0 && (
        <ul>
          {signers.map((s) => (
            <li key={s}>
              <GuardianLabel address={s} /> approved
            </li>
          ))}
        </ul>
      )}
      {link && (
        <>
          <label htmlFor="guardian-link">Link for your guardians</label>
          <input
            id="guardian-link"
            readOnly
            value={link}
            data-testid="guardian-link"
            onFocus={(e) => e.target.select()}
          />
          {svg && (
            <div
              className="qr"
              role="img"
              aria-label="QR code of the guardian link"
              dangerouslySetInnerHTML={{ __html: svg }}
            />
          )}
        </>
      )}
      {serverError && <p className="notice">{serverError}</p>}
      <details>
        <summary>Request text and pasting signatures by hand</summary>
        <label htmlFor="request-json">Request (send to a guardian who cannot open the link)</label>
        <textarea id="request-json" readOnly value={requestJson ?? ""} />
        <label htmlFor="paste-sig">Paste a guardian&apos;s signature</label>
        <textarea id="paste-sig" value={pasted} onChange={(e) => setPasted(e.target.value)} />
        <button type="button" className="secondary" onClick={paste} disabled={!pasted.trim()}>
          Add signature
        </button>
        {pasteError && (
          <p className="error" role="alert">
            {pasteError}
          </p>
        )}
      </details>
    </div>
  );
}
