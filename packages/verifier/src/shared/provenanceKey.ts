/** The key under which a token's metadata document carries Vermilion's provenance (the platform writes it, the verifier reads it). */
export const PROVENANCE_KEY = "vermilion:provenance";
