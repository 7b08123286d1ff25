import { NotAvailable } from '../components/NotAvailable.js';
import type { ScreenDefinition } from './types.js';

function Errors() {
  return (
    <NotAvailable
      message="Error tracking is not available yet in this version of prodx."
      detail="Grouped errors with counts, first and last seen, and alerts will appear here."
    />
  );
}

export const errorsScreen: ScreenDefinition = { id: 'errors', title: 'Errors', keys: [], Component: Errors };
