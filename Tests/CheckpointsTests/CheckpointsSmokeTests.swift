import Testing
@testable import Checkpoints

@Test func CheckpointsModuleLinks() {
    #expect(Bool(true))
}
