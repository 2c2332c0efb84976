package dev.baton.devcluster.sim;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Name suffixes as the API server makes them for {@code metadata.generateName}: five characters from
 * k8s.io/apimachinery/pkg/util/rand's alphabet (lowercase consonants and digits, no vowels so no words).
 */
final class RandomSuffix {

    private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

    private RandomSuffix() {
    }

    static String next() {
        StringBuilder sb = new StringBuilder(5);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 5; i++) {
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    /** SafeEncodeString: maps each character onto the same alphabet (used for pod-template-hash). */
    static String safeEncode(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            sb.append(ALPHABET.charAt(c % ALPHABET.length()));
        }
        return sb.toString();
    }
}
