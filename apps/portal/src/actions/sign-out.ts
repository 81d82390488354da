'use server';

import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { getGateway, readSessionToken } from '../lib/gateway';
import { SIGN_IN_PATH } from '../lib/sign-in-path';
import { SESSION_COOKIE } from '../lib/session-cookie';

/** Ends the session at the gateway, forgets the cookie and goes to the sign-in page. */
export async function signOut(): Promise<void> {
  if (await readSessionToken()) {
    // The portal forgets the session even if the gateway cannot be told (it then expires there).
    await (await getGateway()).signOut().catch(() => undefined);
  }
  (await cookies()).delete({ name: SESSION_COOKIE, path: '/' });
  redirect(SIGN_IN_PATH);
}
