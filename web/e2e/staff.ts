import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { adminToken, gql } from './api';

/** The invitation token emailed to `to`, read from the server's mail folder (the embedded default). */
export async function invitationToken(to: string): Promise<string> {
  const dir = join(process.env.E2E_DATA_DIR ?? '', 'mail');
  for (let attempt = 0; attempt < 50; attempt++) {
    for (const file of readdirSync(dir, { withFileTypes: true })) {
      if (!file.isFile() || !file.name.endsWith('.eml')) continue;
      // Quoted-printable soft breaks and escapes undone, whatever encoding the body got.
      const text = readFileSync(join(dir, file.name), 'utf8').replace(/=\r?\n/g, '').replace(/=3D/g, '=');
      if (!text.includes(to)) continue;
      const token = /token=([0-9a-f]{64})/.exec(text)?.[1];
      if (token) return token;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no invitation email for ${to}`);
}

/**
 * A new member of `organisationId`'s staff, as it happens for real: the platform admin
 * invites the address, the person signs up and accepts the emailed invitation. Returns
 * their token.
 */
export async function joinStaff(options: {
  organisationId: string;
  email: string;
  name: string;
  role: 'MANAGER' | 'SUPPORT';
  refundLimitCents?: number;
}): Promise<string> {
  await gql(
    'mutation($o: ID!, $e: String!, $r: StaffRole!, $l: Int) { inviteStaff(organisationId: $o, email: $e, role: $r, refundLimitCents: $l) { emailSent } }',
    { o: options.organisationId, e: options.email, r: options.role, l: options.refundLimitCents ?? null },
    await adminToken(),
  );
  const invitation = await invitationToken(options.email);
  const { signUp } = await gql<{ signUp: { token: string } }>(
    'mutation($i: SignUpInput!) { signUp(input: $i) { token } }',
    { i: { email: options.email, password: 'staff password 1', name: options.name } },
  );
  await gql('mutation($t: String!) { acceptStaffInvitation(token: $t) { id } }', { t: invitation }, signUp.token);
  return signUp.token;
}
