// Who runs an operation, for the history, the audit log and lock files: one name everywhere.
// PRODX_ACTOR wins; then the CI's actor; else user@host.
import { hostname, userInfo } from 'node:os';

export function actorName(env: NodeJS.ProcessEnv = process.env): string {
  if (env['PRODX_ACTOR']) return env['PRODX_ACTOR'];
  if (env['GITHUB_ACTOR']) return `${env['GITHUB_ACTOR']} (github run ${env['GITHUB_RUN_ID'] ?? '?'})`;
  if (env['GITLAB_USER_LOGIN']) return `${env['GITLAB_USER_LOGIN']} (gitlab job ${env['CI_JOB_ID'] ?? '?'})`;
  let user = env['USER'] ?? 'unknown';
  try {
    user = userInfo().username;
  } catch {
    /* no passwd entry (containers): keep $USER */
  }
  return `${user}@${hostname()}`;
}
