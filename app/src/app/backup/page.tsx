"use client";
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
    </>
  );
}
