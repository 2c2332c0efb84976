package dev.baton.resources;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageReferenceTest {

  @ParameterizedTest(name = "{0} -> tag {1}, pinned {2}")
  @CsvSource(nullValues = "-", value = {
      "registry.example.com/chat:1.4.2, 1.4.2, true",
      "registry.example.com:5000/chat:1.4.2, 1.4.2, true",
      "registry.example.com:5000/chat, -, false",
      "chat, -, false",
      "chat:latest, latest, false",
      "chat@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef, -, true",
      "chat:1.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef, 1.0, true",
  })
  void readsTheTagAndWhetherTheImageIsPinned(String image, String tag, boolean pinned) {
    ImageReference ref = ImageReference.parse(image);

    assertThat(ref.tag()).isEqualTo(Optional.ofNullable(tag));
    assertThat(ref.isPinned()).isEqualTo(pinned);
  }
}
