package dev.baton.cli;

public final class BatonCommand {
  public static void main(String[] args) {
    System.out.println("baton");
  }
}
