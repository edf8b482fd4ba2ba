// Stands in for @vaadin/vaadin-usage-statistics, which @vaadin/router imports: the shipped app must
// never call a third party (desks run on closed networks), so the build aliases that module to this.
export function usageStatistics(): void {}
