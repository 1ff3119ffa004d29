import { ButtonLink, Card, ui } from "@/components/ui";

export default function Home() {
  return (
    <>
      <h1>A wallet you cannot lose</h1>
      <p>
        Custos is a smart account controlled by your recovery phrase. If you lose the phrase, guardians you chose can
        move the account to a new phrase after a waiting period — same address, same funds.
      </p>
      <div className={ui.grid}>
        <Card>
          <h2>New here</h2>
          <p>Create a recovery phrase, back it up, choose guardians.</p>
          <ButtonLink href="/create">Create a wallet</ButtonLink>
        </Card>
        <Card>
          <h2>Already have a wallet</h2>
          <p>Unlock the wallet saved on this device, or restore it from a backup.</p>
          <ButtonLink href="/dashboard">Open my wallet</ButtonLink>
          <ButtonLink variant="secondary" href="/backup">
            Restore from backup
          </ButtonLink>
        </Card>
        <Card>
          <h2>Lost your phrase?</h2>
          <p>Ask your guardians to move your account to a new phrase.</p>
          <ButtonLink variant="secondary" href="/recover">
            Recover my account
          </ButtonLink>
        </Card>
        <Card>
          <h2>Guardian</h2>
          <p>Approve a friend&apos;s recovery, or lock their account if something looks wrong.</p>
          <ButtonLink variant="secondary" href="/guardian">
            Guardian view
          </ButtonLink>
        </Card>
      </div>
    </>
  );
}
