import ArgumentParser
import Testing

@testable import CLI

/// `albumgenre --help` and every subcommand's help, rendered as in an 80-column terminal.
struct HelpTests {
    /// The root command and every subcommand below it, with its path of command names.
    static func allCommands() -> [(path: String, type: any ParsableCommand.Type)] {
        var found: [(String, any ParsableCommand.Type)] = []
        func visit(_ command: any ParsableCommand.Type, path: String) {
            found.append((path, command))
            for sub in command.configuration.subcommands {
                let name = sub._commandName
                visit(sub, path: path + " " + name)
            }
        }
        visit(AlbumGenreCommand.self, path: "albumgenre")
        return found
    }

    @Test func everyCommandIsReachable() {
        let paths = Set(Self.allCommands().map(\.path))
        for expected in [
            "collect", "import", "catalog", "export", "split", "explore", "train", "evaluate", "report",
            "study", "predict", "serve", "demo", "package-model", "init-model", "weights install",
            "weights path", "imagenet", "fake-services", "calibrate", "runs", "refit", "crossvalidate", "ensemble",
        ] {
            #expect(paths.contains("albumgenre " + expected), "albumgenre \(expected)")
        }
    }

    @Test(arguments: allCommands().map(\.path))
    func helpFitsAnEightyColumnTerminal(path: String) throws {
        let command = try #require(Self.allCommands().first { $0.path == path }?.type)
        let help = AlbumGenreCommand.helpMessage(for: command, columns: 80)
        #expect(help.contains("USAGE: \(path)"))
        for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
            #expect(line.count <= 80, "\(path): \(line.count) columns: \(line)")
            #expect(line.last != " ", "\(path): trailing space: \(line)")
        }
    }

    /// The abstract is one line under OVERVIEW and reads as a sentence.
    @Test(arguments: allCommands().map(\.path))
    func abstractsAreOneSentenceOnOneLine(path: String) throws {
        let command = try #require(Self.allCommands().first { $0.path == path }?.type)
        let abstract = command.configuration.abstract
        #expect(!abstract.isEmpty, "\(path) has no abstract")
        #expect(("OVERVIEW: " + abstract).count <= 80, "\(path): abstract of \(abstract.count) characters")
        #expect(abstract.first?.isUppercase == true && abstract.hasSuffix("."), "\(path): \(abstract)")
    }

    /// Discussions are paragraphs: a line of prose is never broken by hand in mid-sentence, which
    /// the parser's own wrapping would turn into ragged short lines. Lines that are examples or
    /// list items (indented) and the last line of a paragraph are free.
    @Test(arguments: allCommands().map(\.path))
    func discussionsAreWrittenAsParagraphs(path: String) throws {
        let command = try #require(Self.allCommands().first { $0.path == path }?.type)
        let lines = command.configuration.discussion.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() where index + 1 < lines.count {
            let next = lines[index + 1]
            let prose = !line.hasPrefix(" ") && !line.isEmpty && !next.isEmpty && !next.hasPrefix(" ")
            guard prose, let last = line.last else { continue }
            #expect(".:!?".contains(last), "\(path): hard line break in a paragraph after '\(line.suffix(30))'")
        }
        // Examples, tables and commands are kept as written, so they must not need wrapping.
        for line in lines where line.hasPrefix(" ") || line.hasPrefix("Example") {
            #expect(line.count <= 80, "\(path): \(line.count) columns, would wrap: \(line)")
        }
    }
}
