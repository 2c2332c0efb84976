package dev.baton.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code baton} command. */
@Command(
    name = "baton",
    mixinStandardHelpOptions = true,
    versionProvider = BatonCommand.Version.class,
    description = "Progressive delivery for Kubernetes services that hold long-lived connections.",
    subcommands = {DevCommand.class, ClusterCommand.class, RunCommand.class})
public final class BatonCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new BatonCommand()).execute(args));
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = BatonCommand.class.getPackage().getImplementationVersion();
      return new String[] {"baton " + (version == null ? "(development build)" : version)};
    }
  }
}
