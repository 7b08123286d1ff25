// `host:port` addresses in the config and on the command line, parsed once: the builtin
// router's listen and admin addresses are checked when the config loads, not when the first
// request to them fails.
import { ProdxError } from '../errors.js';

export interface HostPort {
  host: string;
  port: number;
}

const HOST_PORT = /^(?:\[([^\]]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/;
export const LOOPBACK_HOST = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

/** `127.0.0.1:8080` or `[::1]:8080` → {host, port}; null when it is not one (port 0 picks a free one). */
export function hostPortOf(value: string): HostPort | null {
  const m = HOST_PORT.exec(value.trim());
  const port = m ? Number(m[3]) : NaN;
  return m && port <= 65535 ? { host: (m[1] ?? m[2])!, port } : null;
}

/** `where` names the option or config path in the message. */
export function parseHostPort(value: string, where: string): HostPort {
  const hp = hostPortOf(value);
  if (!hp) throw new ProdxError('usage', `${where}: "${value}" is not host:port: use e.g. 127.0.0.1:8080 (port 0 picks one).`);
  return hp;
}
