'use client';

import { createContext, useContext, useState, type ReactNode } from 'react';
import type { IssuedApiKey } from '../lib/gateway-client';
import { NewKeyPanel } from './new-key-panel';

const RevealContext = createContext<(key: IssuedApiKey) => void>(() => undefined);

/**
 * Holds the one key secret to show (issued or rotated) above an application's key list. It
 * lives here, not in the row that rotated the key: rotating without a grace period revokes the
 * old key, and its row leaves the list in the same refresh that brings the new secret.
 */
export function KeyReveal({ children }: { children: ReactNode }) {
  const [issued, setIssued] = useState<IssuedApiKey | null>(null);
  return (
    <RevealContext value={setIssued}>
      {issued ? <NewKeyPanel issued={issued} onDone={() => setIssued(null)} /> : null}
      {children}
    </RevealContext>
  );
}

/** Shows a newly issued key's secret once, in the enclosing {@link KeyReveal}. */
export function useRevealKey(): (key: IssuedApiKey) => void {
  return useContext(RevealContext);
}
