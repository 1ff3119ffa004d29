import type { OperationStage } from "@/hooks/useOperation";
import { ErrorText } from "./ErrorText";
import styles from "./OperationProgress.module.css";

const STEPS: { stage: OperationStage; label: string }[] = [
  { stage: "preparing", label: "Preparing the operation" },
  { stage: "signing", label: "Signing on this device" },
  { stage: "submitted", label: "Sent to the bundler, waiting for a block" },
  { stage: "included", label: "Included on chain" },
];

/** The visible life of one UserOperation, announced to screen readers. */
export function OperationProgress({ stage, error }: { stage: OperationStage; error?: unknown }) {
  if (stage === "idle") return null;
  const current = STEPS.findIndex((s) => s.stage === stage);
  return (
    <div aria-live="polite">
      <ol className={styles.progress} data-testid="op-progress" data-stage={stage}>
        {STEPS.map((s, i) => (
          <li
            key={s.stage}
            className={i < current || stage === "included" ? styles.done : i === current ? styles.active : undefined}
          >
            {i < current || stage === "included" ? "✓ " : i === current ? "… " : "· "}
            {s.label}
          </li>
        ))}
      </ol>
      {stage === "failed" && <ErrorText error={error} />}
    </div>
  );
}
