import { NotAvailable } from '../components/NotAvailable.js';
import type { ScreenDefinition } from './types.js';

function Flags() {
  return (
    <NotAvailable
      message="Feature flags are not available yet in this version of prodx."
      detail="Flags from the flagd JSON file, their rollout and A/B results will appear here."
    />
  );
}

export const flagsScreen: ScreenDefinition = { id: 'flags', title: 'Flags', keys: [], Component: Flags };
