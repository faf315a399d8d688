import Testing
import TapisCore

@Suite struct ArchiveFilterTests {
    @Test(arguments: [
        ("*.txt", "a.txt", true), ("*.txt", "dir/a.txt", false), ("**/*.txt", "dir/a.txt", true), ("**/*.txt", "a.txt", true),
        ("data/**", "data/x/y.bin", true), ("?.log", "a.log", true), ("?.log", "ab.log", false), ("[ab].c", "b.c", true),
        ("[!ab].c", "b.c", false), ("*.{csv,json}", "r.json", true), ("*.{csv,json}", "r.xml", false), ("a+b(1).txt", "a+b(1).txt", true),
        ("REGEX:out[0-9]+\\.dat", "out42.dat", true), ("REGEX:out[0-9]+\\.dat", "xout42.dat", false),
    ])
    func patterns(_ pattern: String, _ path: String, _ kept: Bool) throws {
        #expect(try ArchiveFilter(ArchiveFilterSpec(includes: [pattern])).keeps(path) == kept)
    }

    @Test func excludesComeBeforeIncludes() throws {
        let filter = try ArchiveFilter(ArchiveFilterSpec(includes: ["**/*.dat"], excludes: ["tmp/**"]))
        #expect(filter.keeps("results/a.dat"))
        #expect(!filter.keeps("tmp/a.dat"))
        #expect(!filter.keeps("results/a.log"))
        #expect(!filter.keepsEverything)
    }

    @Test func emptyOrMatchAllKeepsEverything() throws {
        #expect(try ArchiveFilter(ArchiveFilterSpec()).keepsEverything)
        #expect(try ArchiveFilter(ArchiveFilterSpec(includes: ["**/*"])).keepsEverything)
        #expect(try ArchiveFilter(ArchiveFilterSpec()).includeLaunchFiles)
    }

    @Test func badRegexIsRefusedByField() {
        let error = #expect(throws: TapisError.self) { try ArchiveFilter(ArchiveFilterSpec(excludes: ["REGEX:(unclosed"])) }
        #expect(error?.message.hasPrefix("archiveFilter.excludes") == true)
    }
}
