/** The one duration parser: Prometheus/Alertmanager durations such as `5m`, `1h30m`, `3d1h5m`, `500ms`. */
const unitSeconds: Record<string, number> = { y: 31_536_000, w: 604_800, d: 86_400, h: 3_600, m: 60, s: 1, ms: 0.001 };

export function durationSeconds(text: string): number {
    const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|[ywdhms])/g)];
    if (parts.length === 0 || parts.map((p) => p[0]).join("") !== text) throw new Error(`not a duration: "${text}"`);
    return parts.reduce((total, [, n, unit]) => total + Number(n) * unitSeconds[unit], 0);
}
