import { NotAvailable } from '../components/NotAvailable.js';
import type { ScreenDefinition } from './types.js';

function Canary() {
  return (
    <NotAvailable
      message="Canary releases are not available yet in this version of prodx."
      detail="Stepped traffic shifting with automatic analysis and rollback will appear here."
    />
  );
}

export const canaryScreen: ScreenDefinition = { id: 'canary', title: 'Canary', keys: [], Component: Canary };
