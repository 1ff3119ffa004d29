"use client";
import { ButtonLink, Card } from "@/components/ui";
import { useSession } from "@/components/SessionProvider";
import { VerifyRestore } from "@/components/backup/VerifyRestore";
import { KitTools } from "@/components/backup/KitTools";

export default function BackupPage() {
  const { session } = useSession();
  return (
    <>
      <h1>Backup centre</h1>
      <VerifyRestore />
      <KitTools session={session} />
      <Card aria-labelledby="exposed-h">
        <h2 id="exposed-h">My recovery phrase may be exposed</h2>
        <p>
          Make a new phrase and move your account to it with your guardians&apos; approval. The address and funds stay;
          the old phrase stops working.
        </p>
        <ButtonLink variant="secondary" href="/rotate">
          Replace my recovery phrase
        </ButtonLink>
      </Card>
    </>
  );
}
