import type { Config } from '../config/load.js';

/** The dashboard's /operator page as people reach it: server.publicUrl, else the address `caio serve` listens on. */
export const operatorPageUrl = (config: Pick<Config, 'server'>): string => `${(config.server.publicUrl ?? `http://${config.server.host}:${config.server.port}`).replace(/\/+$/, '')}/operator`;
