import ArgumentParser
import Foundation
import TapisClient
import TapisScheduling

/// `tapis metrics`: the scheduler commands tapisd ran, per system (administrators only).
struct Metrics: APICommand {
    static let configuration = CommandConfiguration(abstract: "Show how many scheduler commands tapisd ran per system, and how long they took.")
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await call(SchedulerMetricsReport.self, .get, "/v3/tapisd/metrics") { answer in
            var rows: [[String]] = []
            for (system, kinds) in answer.schedulerCommands.sorted(by: { $0.key < $1.key }) {
                for (kind, figures) in kinds.sorted(by: { $0.key < $1.key }) {
                    let mean = figures.count == 0 ? 0 : figures.totalSeconds / Double(figures.count)
                    rows.append([system, kind, String(figures.count), String(figures.failed),
                                 String(format: "%.3f", mean), String(format: "%.3f", figures.maxSeconds)])
                }
            }
            for (system, cycles) in answer.pollCycles.sorted(by: { $0.key < $1.key }) {
                rows.append([system, "(poll cycles)", String(cycles), "", "", ""])
            }
            Console.printTable(["SYSTEM", "COMMAND", "COUNT", "FAILED", "MEAN S", "MAX S"], rows)
        }
    }
}
