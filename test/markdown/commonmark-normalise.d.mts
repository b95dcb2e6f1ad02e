/** A CommonMark spec example. */
export interface SpecExample {
  markdown: string;
  html: string;
  section: string;
  number: number;
}
export const POLICY_SECTIONS: Set<string>;
export function excludedByPolicy(example: SpecExample): boolean;
export function normalise(root: Node): string;
export function withTabs(example: SpecExample): SpecExample;
