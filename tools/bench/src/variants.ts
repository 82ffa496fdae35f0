/** A way to run the gateway in the bench: a name, what it is, and the environment that makes it so. */
export interface GatewayVariant {
  key: string;
  label: string;
  env: Record<string, string>;
  /** run the gateway as committed at a git ref (--baseline-ref, HEAD by default: before the working tree's changes) instead of the working tree */
  ref?: string;
}

export const GATEWAY_VARIANTS: readonly GatewayVariant[] = [
  { key: 'unbatched', label: 'batching off (PRODUCE_MAX_BATCH=1)', env: { PRODUCE_MAX_BATCH: '1' } },
  { key: 'before', label: 'as committed at HEAD (before the working tree\'s changes), defaults', env: {}, ref: 'HEAD' },
  { key: 'default', label: 'working tree, defaults (batching on: PRODUCE_LINGER_MS=0, PRODUCE_MAX_BATCH=500)', env: {} },
];

/** The variants named in `keys`, in the order given; throws on an unknown name. */
export function pickVariants(keys: readonly string[]): GatewayVariant[] {
  return keys.map((key) => {
    const variant = GATEWAY_VARIANTS.find((v) => v.key === key);
    if (variant === undefined) throw new Error(`unknown gateway variant "${key}" (known: ${GATEWAY_VARIANTS.map((v) => v.key).join(', ')})`);
    return variant;
  });
}
