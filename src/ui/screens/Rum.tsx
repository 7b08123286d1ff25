import { NotAvailable } from '../components/NotAvailable.js';
import type { ScreenDefinition } from './types.js';

function Rum() {
  return (
    <NotAvailable
      message="Real-user monitoring (Core Web Vitals) is not available yet in this version of prodx."
      detail="LCP, INP and CLS from real users, by page, device and version, will appear here."
    />
  );
}

export const rumScreen: ScreenDefinition = { id: 'rum', title: 'RUM', keys: [], Component: Rum };
