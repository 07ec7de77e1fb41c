/**
 * scPortrait for Deno — the library API. Everything a program needs is exported from here:
 * projects, configuration, image input, the SpatialData store, the plugin host and registry.
 * @module
 */
export { isScportraitError, ScportraitError } from "./core/errors.ts";
export type { ErrorCode } from "./core/errors.ts";
export { formatDuration, Progress } from "./core/ui/progress.ts";
export type { ProgressOptions } from "./core/ui/progress.ts";
export { H5scFile, openH5sc } from "./core/io/h5sc/h5sc_reader.ts";
export type { H5scBatch, H5scBatchOptions } from "./core/io/h5sc/h5sc_reader.ts";
export { H5scWriter } from "./core/io/h5sc/h5sc_writer.ts";
export type { H5scWriterOptions } from "./core/io/h5sc/h5sc_writer.ts";
export type { H5scCompression, H5scLayout, H5scMetadata } from "./core/io/h5sc/h5sc_types.ts";
export { extractCells } from "./core/steps/extract/extract_cells.ts";
export type { ExtractOptions, ExtractResult } from "./core/steps/extract/extract_cells.ts";
export { ArrayExtractionSource } from "./core/steps/extract/extraction_source.ts";
export type { CellCenters, ExtractionSource } from "./core/steps/extract/extraction_source.ts";
export { extractProject } from "./core/steps/extract/extract_project.ts";
export type {
  ExtractProjectOptions,
  ExtractProjectResult,
} from "./core/steps/extract/extract_project.ts";
export { ProjectExtractionSource } from "./core/steps/extract/project_source.ts";
export { SpatialDataStore } from "./core/io/spatialdata/spatialdata_store.ts";
export type { ElementInfo } from "./core/io/spatialdata/spatialdata_store.ts";
export { ImageWriter, LabelsWriter } from "./core/io/spatialdata/element_writers.ts";
export type {
  CreateImageOptions,
  CreateLabelsOptions,
} from "./core/io/spatialdata/element_writers.ts";
export { LabelsSource } from "./core/io/spatialdata/labels_source.ts";
export type { WriterRunOptions, WriterRuntime } from "./core/io/spatialdata/raster_writer.ts";
export { ChunkJobPool } from "./core/io/spatialdata/chunk_job_pool.ts";
export type { ChunkJobPoolOptions } from "./core/io/spatialdata/chunk_job_pool.ts";
export type { PointsData } from "./core/io/spatialdata/points_writer.ts";
export { CELL_ID_COLUMN } from "./core/io/spatialdata/table_writer.ts";
export type { TableData } from "./core/io/spatialdata/table_writer.ts";
export { loadInputImage } from "./core/steps/load/load_input.ts";
export type { LoadInputOptions, LoadInputResult } from "./core/steps/load/load_input.ts";
export type { ElementType, SdataStatus } from "./core/io/spatialdata/store_layout.ts";
export { openOmeZarrSource } from "./core/io/ome_zarr/open_ome_zarr_source.ts";
export { openTiffSource } from "./core/io/tiff/open_tiff_source.ts";
export type { OpenTiffOptions } from "./core/io/tiff/open_tiff_source.ts";
export { TiffSource } from "./core/io/tiff/tiff_source.ts";
export type { Uint8Scale } from "./core/io/tiff/uint16_conversion.ts";
export type { OpenOmeZarrOptions } from "./core/io/ome_zarr/open_ome_zarr_source.ts";
export { OmeZarrImage } from "./core/io/ome_zarr/ome_zarr_image.ts";
export type { LevelInfo } from "./core/io/ome_zarr/ome_zarr_image.ts";
export {
  BLOSC_LZ4_COMPRESSOR,
  DEFAULT_COMPRESSOR,
  encodeChunk,
} from "./core/io/zarr/chunk_compressor.ts";
export type { ChunkCompressor } from "./core/io/zarr/chunk_compressor.ts";
export { loadConfig, parseConfig } from "./core/config/load_config.ts";
export type { LoadConfigOptions } from "./core/config/load_config.ts";
export type {
  ConfigShape,
  ExtractionConfig,
  FeaturizationConfig,
  InputConfig,
  JsonValue,
  LoadedConfig,
  MethodRef,
  PipelineConfig,
  PluginParams,
  SegmentationConfig,
  SelectionConfig,
  StitchingConfig,
} from "./core/config/pipeline_config.ts";
export { formatMethodRef, parseMethodRef } from "./core/config/method_ref.ts";
export {
  applyDefaults,
  BUILTIN_FORMATS,
  PLUGIN_ID_PATTERN,
  validateJson,
} from "./core/config/json_schema.ts";
export type {
  DefaultsResult,
  FormatCheck,
  JsonSchema,
  JsonType,
  SchemaIssue,
  ValidateOptions,
} from "./core/config/json_schema.ts";
export {
  compareVersions,
  formatVersion,
  isValidRange,
  isValidVersion,
  maxSatisfying,
  parseRange,
  parseVersion,
  satisfies,
} from "./core/config/semver.ts";
export type { Comparator, SemVer, SemVerRange } from "./core/config/semver.ts";
export { loadComponent, LoadedComponent, sha256Hex } from "./core/host/load_component.ts";
export type {
  CompiledComponent,
  ComponentLimits,
  LoadOptions,
} from "./core/host/load_component.ts";
export { PluginPool } from "./core/host/plugin_pool.ts";
export type { PluginLimits, PluginPoolOptions, PoolStats } from "./core/host/plugin_pool.ts";
export { PluginResultError } from "./core/host/plugin_call_error.ts";
export { SEGMENT_FN } from "./core/host/segment_call.ts";
export type { SegmentCallOptions } from "./core/host/segment_call.ts";
export { hostReadPaths } from "./core/host/host_read_paths.ts";
export {
  interfaceName,
  resolveWorld,
  WIT_PACKAGE_VERSION,
  WORLD_NAMES,
} from "./core/host/plugin_worlds.ts";
export type { WorldName, WorldRef, WorldSpec } from "./core/host/plugin_worlds.ts";
export type {
  ChannelStats,
  MaskResult,
  ObjectInfo,
  Quantile,
  SegmentationResult,
  TileRegion,
  TileU16,
} from "./core/host/segmentation_types.ts";
export { wholeImageRegion } from "./core/host/segmentation_types.ts";
export { Project } from "./core/project/project.ts";
export type {
  BeginStepOptions,
  CreateProjectOptions,
  ProjectConfigInput,
} from "./core/project/project.ts";
export { StepRun } from "./core/project/step_run.ts";
export type { StepFinish } from "./core/project/step_run.ts";
export { PROJECT_NAMES, projectPaths, STEP_NAMES } from "./core/project/project_paths.ts";
export type { ProjectPaths, StepName } from "./core/project/project_paths.ts";
export { logTimestamp, ProjectLogger } from "./core/project/project_logger.ts";
export type { IncompleteRun, PinnedPlugin, ProjectStatus } from "./core/project/project_status.ts";
export { formatProjectStatus } from "./core/project/format_status.ts";
export { readProvenance, TOOL_VERSION } from "./core/project/provenance.ts";
export type { PluginPin, ProvenanceFile, ProvenanceRecord } from "./core/project/provenance.ts";
export { readJournal } from "./core/project/step_journal.ts";
export type { JournalEntry, JournalState } from "./core/project/step_journal.ts";
export { canonicalHash, canonicalJson } from "./core/project/canonical_json.ts";
export {
  isProcessAlive,
  removeStaleTemps,
  writeFileAtomic,
  writeJsonAtomic,
} from "./core/io/atomic_file.ts";
export type { WriteAtomicOptions } from "./core/io/atomic_file.ts";
export { manifestRef, parseManifest, validateManifest } from "./core/registry/manifest.ts";
export type {
  ManifestOptions,
  ManifestWorld,
  PluginManifest,
  StatisticsRequest,
  TestVector,
} from "./core/registry/manifest.ts";
export { MANIFEST_SCHEMA, MANIFEST_WIT_PACKAGE } from "./core/registry/manifest_schema.ts";
export { DEFAULT_REGISTRY, installPlugin, isPackagePath } from "./core/registry/install_plugin.ts";
export type { InstallOptions, InstallResult } from "./core/registry/install_plugin.ts";
export { lockedEntry, openInstalledPlugin } from "./core/registry/installed_plugin.ts";
export type { InstalledPlugin, OpenInstalledOptions } from "./core/registry/installed_plugin.ts";
export { buildRegistry, PUBLISHED_ARTIFACT } from "./core/registry/build_registry.ts";
export type { BuildRegistryOptions, BuiltPackage } from "./core/registry/build_registry.ts";
export {
  formatLockfile,
  LOCKFILE_NAME,
  pinPlugin,
  readLockfile,
  unpinPlugin,
  writeLockfile,
} from "./core/registry/lockfile.ts";
export type { LockEntry, Lockfile } from "./core/registry/lockfile.ts";
export { openRegistry } from "./core/registry/registry_source.ts";
export type { RegistryClientOptions, RegistrySource } from "./core/registry/registry_source.ts";
export { loadCaCerts, parseCaCertPem } from "./core/registry/ca_certs.ts";
export {
  formatRegistryIndex,
  parseRegistryIndex,
  REGISTRY_FORMAT,
} from "./core/registry/registry_index.ts";
export type { IndexEntry, RegistryIndex } from "./core/registry/registry_index.ts";
export { parsePluginRequest, resolveVersion } from "./core/registry/resolve_version.ts";
export type { PluginRequest } from "./core/registry/resolve_version.ts";
export { verifyPackage } from "./core/registry/verify_package.ts";
export type { VerifiedPackage, VerifyOptions } from "./core/registry/verify_package.ts";
export { runTestVectors } from "./core/registry/run_test_vectors.ts";
export type { TestVectorResult } from "./core/registry/run_test_vectors.ts";
export { cacheEntryDir, defaultCacheRoot, storeInCache } from "./core/registry/plugin_cache.ts";
export { importPrivateKeyPem, importPublicKeyPem, signManifest } from "./core/registry/ed25519.ts";
export type { TrustedKey } from "./core/registry/ed25519.ts";
export { FIRST_PARTY_KEY_PATH, loadTrustedKeys } from "./core/registry/trusted_keys.ts";
export {
  commandLine,
  installNeeds,
  permissionsFor,
  pipelineCommands,
  runNeeds,
} from "./core/permissions/permissions_for.ts";
export type {
  InstallTarget,
  PipelineCommand,
  RunTarget,
} from "./core/permissions/permissions_for.ts";
export { commandNeeds } from "./core/permissions/permission_needs.ts";
export type { CommandTarget } from "./core/permissions/permission_needs.ts";
export { checkPermissions, missingPermissions } from "./core/permissions/check_permissions.ts";
export type { MissingPermission } from "./core/permissions/check_permissions.ts";
export type { PermissionNeeds } from "./core/permissions/permission_needs.ts";
export { segmentProject } from "./core/steps/segment/segment_project.ts";
export type {
  SegmentProjectOptions,
  SegmentProjectResult,
} from "./core/steps/segment/segment_project.ts";
export {
  pluginParams,
  resolveSegmentationPlugin,
} from "./core/steps/segment/segmentation_plugin.ts";
export type {
  ResolvePluginOptions,
  SegmentationPlugin,
} from "./core/steps/segment/segmentation_plugin.ts";
export { computeGlobalStats, planStatistics } from "./core/steps/segment/global_stats_pass.ts";
export type { GlobalStatsOptions, StatsPlan } from "./core/steps/segment/global_stats_pass.ts";
export { cellId } from "./core/steps/segment/tile_claims.ts";
export {
  histogramSummary,
  otsuFromHistogram,
  quantileFromHistogram,
} from "./core/kernels/global_stats.ts";
export type { HistogramSummary } from "./core/kernels/global_stats.ts";
export { accumulateU16, newHistogramU16, U16_BINS } from "./core/kernels/histogram_u16.ts";
export { buildReport } from "./core/ui/report/build_report.ts";
export type { BuildReportOptions, ReportResult } from "./core/ui/report/build_report.ts";
export { crc32, encodePng } from "./core/ui/png/png_encoder.ts";
export type { PngImage } from "./core/ui/png/png_encoder.ts";
