import { CoreSchema1764000000000 } from './1764000000000-core-schema';

/**
 * Every migration, in order. Append new ones at the end (timestamped names), never edit
 * one that has shipped. Listed explicitly because the build bundles no globs.
 */
export const MIGRATIONS = [CoreSchema1764000000000];
