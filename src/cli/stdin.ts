/** Stands for a bare `-` argument (read stdin): yargs would otherwise turn `-` into '' or true. */
export const STDIN_ARG = '\u0000-';
