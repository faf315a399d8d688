import ArgumentParser
import Foundation
import TapisClient
import TapisCore

/// `tapis admin`: operating tapisd itself (administrators only).
struct Admin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Operate tapisd itself (administrators).", subcommands: [Backup.self])

    struct Backup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Save a backup of tapisd's whole store (SQLite's online backup: jobs go on meanwhile).",
            discussion: """
                To restore: stop tapisd, put the file in place of <stateDir>/db/tapisd.sqlite, remove \
                tapisd.sqlite-wal and tapisd.sqlite-shm beside it, and start tapisd.
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The file to write (not overwritten if it exists).") var file: String

        func run() async throws {
            try await Console.run {
                guard !FileManager.default.fileExists(atPath: file) else { throw TapisError(.conflict, "\(file) exists; give a new file") }
                let backup = try PartialFile(file, permissions: 0o600)
                do {
                    try await Console.client(global).download("/v3/tapisd/backup") { chunk in try backup.write(chunk) }
                } catch {
                    backup.discard()
                    throw error
                }
                try backup.commit()
                let size = (try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
                print("\(file): \(size) bytes")
            }
        }
    }
}
