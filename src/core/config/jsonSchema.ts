import * as z from 'zod/mini';
import { configSchema } from './schema.js';

/** The JSON Schema for editors, generated from the same schema prodx validates with. */
export function configJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any', target: 'draft-7' }),
    $id: 'https://prodx.dev/schema/prodx.config.schema.json',
    title: 'prodx.config.json',
    description: 'Configuration of prodx: environments, their targets, health checks, routers and thresholds.',
  };
}
