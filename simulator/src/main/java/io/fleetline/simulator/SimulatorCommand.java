package io.fleetline.simulator;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The simulator's command line: a mode (a subcommand, {@code demo} when none is named) followed by
 * its options. Help is generated from the options' declarations; a bad value ends with exit code 2
 * and a message that names the option.
 */
@Command(
    name = "simulator",
    synopsisSubcommandLabel = "[demo|load|backfill|chaos|devices]",
    description = {
      "Drives a simulated fleet: registers the vehicles through fleet-api, each with one device"
          + " of a protocol from --protocols, then drives them on a street grid around a city"
          + " centre and sends their pings to ingest over that protocol.",
      "",
      "Where the platform is: each --*-url, --teltonika-addr, --client-id and --client-secret"
          + " flag wins over its FLEETLINE_* variable in the environment, which wins over the env"
          + " file (--env-file, default .local/fleetline.env when it exists).",
      ""
    },
    commandListHeading = "Modes:%n",
    footer = {
      "",
      "Without a mode, demo. The mode comes first, then its options: 'MODE --help' lists them."
    },
    subcommands = {
      DemoCommand.class,
      LoadCommand.class,
      BackfillCommand.class,
      ChaosCommand.class,
      DevicesCommand.class
    })
final class SimulatorCommand {

  static final String DEFAULT_MODE = "demo";

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "this text")
  boolean help;

  /** Runs a mode with the settings a command line gives it. */
  @FunctionalInterface
  interface Run {
    void run(SimulatorOptions options) throws Exception;
  }

  private SimulatorCommand() {}

  /**
   * Runs the command line: prints help when asked (exit code 0), explains a bad command line on
   * {@code err} (exit code 2), or else runs the mode and returns 0.
   */
  static int execute(
      List<String> args, Map<String, String> environment, PrintWriter out, PrintWriter err, Run run)
      throws Exception {
    CommandLine cli = commandLine().setOut(out).setErr(err);
    List<String> withMode = withMode(cli, args);
    SimulatorOptions options;
    try {
      ParseResult parsed = parse(cli, withMode);
      if (CommandLine.printHelpIfRequested(parsed)) {
        return 0;
      }
      options = mode(parsed).options(environment);
    } catch (ParameterException e) {
      return cli.getParameterExceptionHandler()
          .handleParseException(e, withMode.toArray(String[]::new));
    }
    run.run(options);
    return 0;
  }

  /**
   * The settings a command line gives, for runs in-process.
   *
   * @throws IllegalArgumentException naming the option, when the command line is not valid
   */
  static SimulatorOptions parse(List<String> args, Map<String, String> environment)
      throws IOException {
    CommandLine cli = commandLine();
    try {
      return mode(parse(cli, withMode(cli, args))).options(environment);
    } catch (ParameterException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  static CommandLine commandLine() {
    return new CommandLine(new SimulatorCommand())
        // A value such as a client secret may start with '@'; it is never a file to expand.
        .setExpandAtFiles(false)
        // As before subcommands: an option given twice takes its last value, so that a script
        // can append overrides to a list of defaults.
        .setOverwrittenOptionsAllowed(true);
  }

  private static ParseResult parse(CommandLine cli, List<String> args) {
    try {
      return cli.parseArgs(args.toArray(String[]::new));
    } catch (UnmatchedArgumentException e) {
      for (String unmatched : e.getUnmatched()) {
        if (cli.getSubcommands().containsKey(unmatched)) {
          throw new ParameterException(
              e.getCommandLine(),
              "one mode, and it comes first: got '" + unmatched + "' after other arguments",
              e);
        }
      }
      throw e;
    }
  }

  /** The command line with its mode first: the mode it names first, else demo. */
  private static List<String> withMode(CommandLine cli, List<String> args) {
    if (!args.isEmpty() && (cli.getSubcommands().containsKey(args.get(0)) || isHelp(args.get(0)))) {
      return args;
    }
    List<String> withMode = new ArrayList<>(args.size() + 1);
    withMode.add(DEFAULT_MODE);
    withMode.addAll(args);
    return withMode;
  }

  private static ModeCommand mode(ParseResult parsed) {
    if (!parsed.hasSubcommand()) {
      throw new ParameterException(parsed.commandSpec().commandLine(), "no mode named");
    }
    return (ModeCommand) parsed.subcommand().commandSpec().userObject();
  }

  private static boolean isHelp(String arg) {
    return arg.equals("-h") || arg.equals("--help");
  }
}
