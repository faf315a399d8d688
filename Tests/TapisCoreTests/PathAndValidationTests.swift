import Testing
import TapisCore

@Suite struct PathAndValidationTests {
    @Test(arguments: [
        ("/a/b", "/a/b"), ("a/b", "/a/b"), ("//a///b/", "/a/b"), ("/a/./b", "/a/b"), ("/", "/"), ("", "/"),
        ("/with space/ünï", "/with space/ünï"),
    ])
    func normalizes(_ input: String, _ expected: String) throws {
        #expect(try TapisPath.normalize(input, field: "dir") == expected)
    }

    @Test(arguments: ["/a/../b", "..", "/a/..", "../etc/passwd"])
    func refusesParentSegments(_ input: String) {
        let error = #expect(throws: TapisError.self) { try TapisPath.normalize(input, field: "execSystemOutputDir") }
        #expect(error?.code == .badRequest)
        #expect(error?.message.hasPrefix("execSystemOutputDir:") == true)
    }

    @Test(arguments: ["/a\nb", "/a\u{0}b", "/a\u{7F}", "/a\u{85}b", "/a\tb"])
    func refusesControlCharacters(_ input: String) {
        let error = #expect(throws: TapisError.self) { try TapisPath.normalize(input, field: "execSystemExecDir") }
        #expect(error?.message.contains("control character") == true)
    }

    @Test func dotsInsideNamesAreFine() throws {
        #expect(try TapisPath.normalize("/a/..b/c..", field: "dir") == "/a/..b/c..")
    }

    @Test func joinAndParent() {
        #expect(TapisPath.join("/", "/a/b") == "/a/b")
        #expect(TapisPath.join("/root/", "a") == "/root/a")
        #expect(TapisPath.parent("/a/b/c") == "/a/b")
        #expect(TapisPath.parent("/a") == "/")
    }

    @Test(arguments: ["app;rm", "a|b", "a&b", "a>b", "a<b", "a`b", "a b", "a/b", "", "a$b"])
    func identifiersRefuseDangerousCharacters(_ id: String) {
        let error = #expect(throws: TapisError.self) { try Validation.identifier(id, field: "appId") }
        #expect(error?.message.hasPrefix("appId:") == true)
    }

    @Test func envKeys() throws {
        try Validation.envKey("GOOD_1", field: "env")
        #expect(throws: TapisError.self) { try Validation.envKey("1BAD", field: "env") }
        #expect(throws: TapisError.self) { try Validation.envKey("_tapisJobUUID", field: "env") }
        #expect(throws: TapisError.self) { try Validation.envKey("A-B", field: "env") }
    }

    @Test func aSystemsRootDirIsAPlainDirectory() {
        var system = TapisSystem(id: "s")
        system.rootDir = "HOST_EVAL($HOME)"
        let error = #expect(throws: TapisError.self) { try system.validate() }
        #expect(error?.message == "rootDir: HOST_EVAL is not supported in rootDir; give the directory itself")
        system.rootDir = "/data/../etc"
        #expect(throws: TapisError.self) { try system.validate() }
    }
}
