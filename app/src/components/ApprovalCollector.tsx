"use client";
import { useState } from "react";
import QRCode from "qrcode";
import { useEffect } from "react";
import { errorMessage } from "@/lib/errors";
import { GuardianLabel } from "./GuardianLabel";
import { CopyShare } from "./CopyShare";

/** Shows the guardian link (with QR), the k/needed progress, and a box to paste a signature by hand. */
export function ApprovalCollector({
  link,
  registered,
  requestJson,
  count,
  needed,
  serverError,
  onPaste,
  signers,
}: {
  link?: string;
  /** The approval server registered the request: the link holds its id, so approvals come back by themselves. */
  registered: boolean;
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
  // The link is offered once it holds the server id, or once the server is known to be unreachable
  // (then approvals come back by hand): never a link whose approvals would silently go nowhere.
  const ready = !!link && (registered || !!serverError);
  useEffect(() => {
    if (ready && link) QRCode.toString(link, { type: "svg", margin: 1 }).then(setSvg, () => setSvg(""));
  }, [link, ready]);
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
      {!ready && <p aria-live="polite">Preparing the link for your guardians…</p>}
      {ready && link && (
        <>
          <label htmlFor="guardian-link">Link for your guardians</label>
          <input
            id="guardian-link"
            readOnly
            value={link}
            data-testid="guardian-link"
            onFocus={(e) => e.target.select()}
          />
          <CopyShare text={link} what="guardian link" title="Custos: please approve" />
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
