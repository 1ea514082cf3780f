import FiredrillStore
import Testing
