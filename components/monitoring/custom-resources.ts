/**
 * The prometheus-operator kinds the program declares, and their spec types. The types come from
 * @kubernetes-models/prometheus-operator (generated from the operator's API); they are erased at
 * compile time, so the program loads nothing of it. The unit suite validates every rendered spec
 * against the pinned operator's CRD schemas (test/crd-schemas).
 */
import type { IServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor" with { "resolution-mode": "import" };
import type { IPrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule" with { "resolution-mode": "import" };
import type { IProbe } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Probe" with { "resolution-mode": "import" };
import type { IAlertmanagerConfig } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/AlertmanagerConfig" with {
    "resolution-mode": "import",
};

export const operatorKinds = {
    ServiceMonitor: { apiVersion: "monitoring.coreos.com/v1", kind: "ServiceMonitor" },
    PrometheusRule: { apiVersion: "monitoring.coreos.com/v1", kind: "PrometheusRule" },
    Probe: { apiVersion: "monitoring.coreos.com/v1", kind: "Probe" },
    /** v1alpha1: the AlertmanagerConfig CRD's only version without the operator's conversion webhook. */
    AlertmanagerConfig: { apiVersion: "monitoring.coreos.com/v1alpha1", kind: "AlertmanagerConfig" },
} as const;
export type OperatorKind = keyof typeof operatorKinds;

export interface OperatorSpecs {
    ServiceMonitor: IServiceMonitor["spec"];
    PrometheusRule: IPrometheusRule["spec"];
    Probe: IProbe["spec"];
    AlertmanagerConfig: NonNullable<IAlertmanagerConfig["spec"]>;
}
