"use client";
import QRCode from "qrcode";
import { useEffect, useState } from "react";
import { Button, ui } from "@/components/ui";

/** An address with a copy button and, on request, a QR code of the address (never of secrets). */
export function AddressView({
  address,
  label = "Address",
  qr = false,
}: {
  address: string;
  label?: string;
  qr?: boolean;
}) {
  const [copied, setCopied] = useState(false);
  const [svg, setSvg] = useState("");
  useEffect(() => {
    if (!qr) return;
    QRCode.toString(address, { type: "svg", margin: 1 }).then(setSvg, () => setSvg(""));
  }, [address, qr]);
  const copy = async () => {
    await navigator.clipboard.writeText(address);
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  return (
    <div>
      <div className={ui.hint}>{label}</div>
      <div className={ui.row}>
        <code data-testid="address">{address}</code>
        <Button variant="secondary" onClick={copy} aria-label={`Copy ${label.toLowerCase()}`}>
          {copied ? "Copied" : "Copy"}
        </Button>
      </div>
      {qr && svg && (
        <div
          className={ui.qr}
          role="img"
          aria-label={`QR code of ${address}`}
          dangerouslySetInnerHTML={{ __html: svg }}
        />
      )}
    </div>
  );
}
