package dev.eligibility.jobs.publication;

/**
 * Tells a read that failed because a table version's data files are gone (purged by
 * {@code VACUUM}) from any other failure, by the exception chain Spark and Delta raise.
 */
public final class PayloadGone {

  private PayloadGone() {}

  /**
   * {@code e} thrown on as it is. Spark throws checked exceptions ({@code SparkException}) from
   * Scala code without declaring them, so a caller that must look at every failure catches
   * {@code Exception} and hands back the ones it does not handle through this.
   */
  public static RuntimeException rethrow(Exception e) {
    return PayloadGone.<RuntimeException>sneaky(e);
  }

  @SuppressWarnings("unchecked")
  private static <T extends Exception> T sneaky(Exception e) throws T {
    throw (T) e;
  }

  /** Whether {@code e} or one of its causes says a data file does not exist. */
  public static boolean isCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = String.valueOf(t.getMessage());
      if (t instanceof java.io.FileNotFoundException
          || t.getClass().getSimpleName().equals("SparkFileNotFoundException")
          || message.contains("DELTA_FILE_NOT_FOUND") || message.contains("FILE_NOT_EXIST")) {
        return true;
      }
    }
    return false;
  }
}
