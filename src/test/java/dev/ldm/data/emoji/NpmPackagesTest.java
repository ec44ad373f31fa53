package dev.ldm.data.emoji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.LdmException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pinned versions and install checks; npm itself never runs here (a missing command stands in). */
class NpmPackagesTest {
    private static final NpmPackages NO_NPM = new NpmPackages(List.of("ldm-test-no-such-npm-command"));

    @TempDir
    Path dir;

    @Test
    void theProjectPinsTheFourPackagesAtExactVersions() {
        List<String> specs = NpmPackages.pinned().stream().map(NpmPackages.Package::spec).toList();
        assertEquals(List.of("emoji-datasource-google@16.0.0", "emoji-datasource-twitter@16.0.0",
                "@lobehub/fluent-emoji-3d@1.1.0", "emojibase-data@17.0.0"), specs);
        for (EmojiStyle s : EmojiSource.PNG.styles()) {
            assertTrue(NpmPackages.pinned().stream().anyMatch(p -> p.name().equals(s.packageName())), s.word());
        }
        for (EmojiStyle s : EmojiSource.SVG.styles()) {
            assertTrue(EmojiSource.SVG.packages().stream().anyMatch(p -> p.name().equals(s.svg().packageName())),
                    s.word());
        }
        assertTrue(EmojiSource.SVG.packages().stream().anyMatch(p -> p.name().equals("emojibase-data")));
        assertThrows(IllegalArgumentException.class, () -> new NpmPackages.Package("emojibase-data", "^17.0.0"));
        assertThrows(IllegalArgumentException.class, () -> new NpmPackages.Package("Bad Name", "1.0.0"));
    }

    @Test
    void aMatchingInstallIsReusedWithoutRunningNpm() throws Exception {
        FakeEmojiPackages.write(dir);
        Path nm = NO_NPM.ensure(dir, NpmPackages.pinned(), s -> { });
        assertEquals(dir.resolve("node_modules"), nm);
        assertEquals(Optional.of("1.1.0"),
                NpmPackages.installedVersion(dir, new NpmPackages.Package("@lobehub/fluent-emoji-3d", "1.1.0")));
    }

    @Test
    void aWrongOrMissingVersionIsStaleAndNeedsNpm() throws Exception {
        FakeEmojiPackages.write(dir);
        Files.writeString(dir.resolve("node_modules/emojibase-data/package.json"), "{\"version\": \"16.0.3\"}");
        Files.delete(dir.resolve("node_modules/emoji-datasource-twitter/package.json"));
        List<String> stale = NpmPackages.stale(dir, NpmPackages.pinned()).stream().map(NpmPackages.Package::name)
                .toList();
        assertEquals(List.of("emoji-datasource-twitter", "emojibase-data"), stale);
        List<String> log = new ArrayList<>();
        LdmException e = assertThrows(LdmException.class, () -> NO_NPM.ensure(dir, NpmPackages.pinned(), log::add));
        assertEquals(LdmException.BAD_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains("install Node.js and npm") && e.getMessage().contains("--packages"),
                e.getMessage());
        assertTrue(log.get(0).contains("emojibase-data@17.0.0") && !log.get(0).contains("google"), log.toString());
    }

    @Test
    void aFailingNpmIsARuntimeFailureWithItsOutput() throws Exception {
        Path fake = dir.resolve("npm.sh");
        Files.writeString(fake, "#!/bin/sh\necho 'npm error 404 Not Found'\nexit 1\n");
        fake.toFile().setExecutable(true);
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs a POSIX shell");
        NpmPackages failing = new NpmPackages(List.of("/bin/sh", fake.toString()));
        LdmException e = assertThrows(LdmException.class,
                () -> failing.ensure(dir.resolve("prefix"), NpmPackages.pinned(), s -> { }));
        assertEquals(LdmException.RUNTIME, e.exitCode());
        assertTrue(e.getMessage().contains("exit code 1") && e.getMessage().contains("404"), e.getMessage());
        Files.writeString(fake, "#!/bin/sh\nexit 0\n");
        LdmException quiet = assertThrows(LdmException.class,
                () -> failing.ensure(dir.resolve("prefix"), NpmPackages.pinned(), s -> { }));
        assertTrue(quiet.getMessage().contains("npm finished but"), quiet.getMessage());
    }

    @Test
    void anInstallNamesThePinnedPackagesAlreadyThereSoNpmKeepsThem() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs a POSIX shell");
        FakeEmojiPackages.write(dir); // the PNG source's packages, installed
        Path args = dir.resolve("args.txt");
        Path fake = dir.resolve("npm.sh");
        Files.writeString(fake, "#!/bin/sh\necho \"$@\" > '" + args + "'\nexit 1\n");
        NpmPackages recording = new NpmPackages(List.of("/bin/sh", fake.toString()));
        assertThrows(LdmException.class, () -> recording.ensure(dir, EmojiSource.SVG.packages(), s -> { }));
        String named = Files.readString(args);
        for (NpmPackages.Package p : NpmPackages.allPinned()) {
            assertTrue(named.contains(p.spec()), p.spec() + " missing from: " + named);
        }
    }
}
