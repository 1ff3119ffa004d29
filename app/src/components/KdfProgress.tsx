import styles from "./KdfProgress.module.css";
/** Progress of the slow password step (scrypt, run in a Web Worker), announced politely. */
export function KdfProgress({ fraction, label }: { fraction: number | null; label: string }) {
  if (fraction === null) return null;
  const percent = Math.round(fraction * 100);
  return (
    <div className={styles.kdf} aria-live="polite" data-testid="kdf-progress">
      <progress max={100} value={percent} aria-label={label} />
      <span>
        {label}: {percent}% — this slow step is what protects your words from password guessing.
      </span>
    </div>
  );
}
