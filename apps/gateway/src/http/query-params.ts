import { z } from 'zod';

/**
 * A positive integer query parameter written plainly (`50`; not `+50`, `050`, `5e1`, ` 50`),
 * within [1, max]; `fallback` when absent.
 */
export function limitParam(max: number, fallback: number) {
  return z
    .string()
    .regex(/^[1-9]\d{0,5}$/, 'must be a whole number written in digits')
    .transform(Number)
    .pipe(z.number().max(max, `must be at most ${max}`))
    .optional()
    .transform((v) => v ?? fallback);
}
