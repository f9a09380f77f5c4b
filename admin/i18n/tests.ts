/** Strings of the tests screens. */
export const zh = {};

export const en: Record<keyof typeof zh, string> = {};
