/** Kubernetes resource quantities, limited to the forms a stack config needs. */

export const cpuPattern = /^(\d+(\.\d+)?|\d+m)$/;
export const memoryPattern = /^\d+(Ki|Mi|Gi)$/;

/** "250m" -> 0.25, "1.5" -> 1.5 cores. */
export function cpuCores(quantity: string): number {
    return quantity.endsWith("m") ? Number(quantity.slice(0, -1)) / 1000 : Number(quantity);
}

const memoryUnits: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30 };

/** "512Mi" -> 536870912 bytes. */
export function memoryBytes(quantity: string): number {
    const unit = quantity.slice(-2);
    return Number(quantity.slice(0, -2)) * memoryUnits[unit];
}
