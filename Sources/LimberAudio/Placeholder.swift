enum LimberAudioPlaceholder {}
