"use client";
import { useState } from "react";
import QRCode from "qrcode";
import { useEffect } from "react";
import { errorMessage } from "@/lib/errors";
import { GuardianLabel } from "./GuardianLabel";
import { CopyShare } from "./CopyShare";
import { Button, Field, Notice, ui } from "@/components/ui";

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
      <p className={ui.big} aria-live="polite" data-testid="approval-count">
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
          <Field
            label="Link for your guardians"
            id="guardian-link"
            readOnly
            value={link}
            data-testid="guardian-link"
            onFocus={(e) => e.target.select()}
          />
          <CopyShare text={link} what="guardian link" title="Custos: please approve" />
          {svg && (
            <div
              className={ui.qr}
              role="img"
              aria-label="QR code of the guardian link"
              dangerouslySetInnerHTML={{ __html: svg }}
            />
          )}
        </>
      )}
      {serverError && <Notice>{serverError}</Notice>}
      <details>
        <summary>Request text and pasting signatures by hand</summary>
        <Field
          as="textarea"
          label="Request (send to a guardian who cannot open the link)"
          id="request-json"
          readOnly
          value={requestJson ?? ""}
        />
        <Field
          as="textarea"
          label="Paste a guardian's signature"
          id="paste-sig"
          value={pasted}
          onChange={(e) => setPasted(e.target.value)}
          error={pasteError}
        />
        <Button variant="secondary" onClick={paste} disabled={!pasted.trim()}>
          Add signature
        </Button>
      </details>
    </div>
  );
}
